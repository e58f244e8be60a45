import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { TenantryError } from '../errors.js';
import {
  createDataKey,
  decryptSecret,
  encryptSecret,
  generateMasterKey,
  parseMasterKey,
  rewrapDataKey,
  secretHint,
  unwrapDataKey,
  wrapDataKey,
} from './envelope.js';

const orgA = '0190a8a8-0000-7000-8000-00000000000a';
const orgB = '0190a8a8-0000-7000-8000-00000000000b';
const context = `ai_providers:${orgA}:row-1`;

/** The error `work` throws; fails the test when it throws nothing. */
function thrown(work: () => unknown): TenantryError {
  try {
    work();
  } catch (error) {
    if (error instanceof TenantryError) return error;
    throw error;
  }
  throw new Error('expected a TenantryError, nothing was thrown');
}

describe('data keys', () => {
  it('wraps a data key that unwraps with the same master key', () => {
    const master = generateMasterKey();
    const { dataKey, wrappedKey } = createDataKey(master);
    expect(dataKey).toHaveLength(32);
    expect(wrappedKey.includes(dataKey)).toBe(false);
    expect(unwrapDataKey(master, wrappedKey).equals(dataKey)).toBe(true);
  });

  it('refuses the wrong master key with one clear line, not a crypto stack', () => {
    const { wrappedKey } = createDataKey(generateMasterKey());
    const error = thrown(() => unwrapDataKey(generateMasterKey(), wrappedKey));
    expect(error.code).toBe('internal');
    expect(error.message).toBe('cannot unwrap the organization data key: wrong master key or damaged value');
  });

  it('re-wraps under a new master key without changing the data key', () => {
    const oldMaster = generateMasterKey();
    const newMaster = generateMasterKey();
    const { dataKey, wrappedKey } = createDataKey(oldMaster);
    const sealed = encryptSecret(dataKey, 'sk-live-secret', context);

    const rewrapped = rewrapDataKey(oldMaster, newMaster, wrappedKey);
    const unwrapped = unwrapDataKey(newMaster, rewrapped);
    expect(decryptSecret(unwrapped, sealed, context)).toBe('sk-live-secret');
    expect(() => unwrapDataKey(oldMaster, rewrapped)).toThrow(/wrong master key/);
  });

  it('never accepts a sealed secret as a wrapped key, nor a wrapped key as a secret', () => {
    const master = generateMasterKey();
    const sealedAsSecret = encryptSecret(master, 'a'.repeat(32), context);
    expect(() => unwrapDataKey(master, sealedAsSecret)).toThrow(/wrong master key or damaged value/);
    expect(() => encryptSecret(master, 'a'.repeat(32), 'tenantry:data-key')).toThrow(/reserved for data keys/);
    expect(() => decryptSecret(master, wrapDataKey(master, master), context)).toThrow(/cannot decrypt/);
  });
});

describe('secrets', () => {
  const { dataKey } = createDataKey(generateMasterKey());

  it('round-trips text, including non-ASCII and the empty string', () => {
    for (const text of ['sk-abc123', 'pässwörd 🔑', '']) {
      expect(decryptSecret(dataKey, encryptSecret(dataKey, text, context), context)).toBe(text);
    }
  });

  it('uses the documented layout: version 1, 12-byte IV, 16-byte tag, ciphertext', () => {
    const sealed = encryptSecret(dataKey, 'abcd', context);
    expect(sealed[0]).toBe(1);
    expect(sealed).toHaveLength(1 + 12 + 16 + 4);
  });

  it('seals the same text differently every time', () => {
    const first = encryptSecret(dataKey, 'same text', context);
    const second = encryptSecret(dataKey, 'same text', context);
    expect(first.equals(second)).toBe(false);
    expect(first.subarray(1, 13).equals(second.subarray(1, 13))).toBe(false);
  });

  it('fails when the ciphertext is read under another row or tenant', () => {
    const sealed = encryptSecret(dataKey, 'sk-abc123', context);
    for (const other of [`ai_providers:${orgA}:row-2`, `ai_providers:${orgB}:row-1`, `integrations:${orgA}:row-1`]) {
      const error = thrown(() => decryptSecret(dataKey, sealed, other));
      expect(error.code).toBe('internal');
      expect(error.message).toMatch(/^cannot decrypt the secret: wrong data key, wrong row or damaged value$/);
    }
  });

  it('fails with another tenant data key', () => {
    const sealed = encryptSecret(dataKey, 'sk-abc123', context);
    const other = createDataKey(generateMasterKey()).dataKey;
    expect(() => decryptSecret(other, sealed, context)).toThrow(/cannot decrypt the secret/);
  });

  it('fails when any byte is changed, or the value is cut short or of an unknown version', () => {
    const sealed = encryptSecret(dataKey, 'sk-abc123', context);
    for (let index = 0; index < sealed.length; index += 1) {
      const tampered = Buffer.from(sealed);
      tampered[index] = (tampered[index] ?? 0) ^ 0x01;
      expect(() => decryptSecret(dataKey, tampered, context), `byte ${index}`).toThrow(TenantryError);
    }
    expect(() => decryptSecret(dataKey, sealed.subarray(0, 28), context)).toThrow(/cannot decrypt/);
    expect(() => decryptSecret(dataKey, Buffer.alloc(0), context)).toThrow(/cannot decrypt/);
  });

  it('refuses an empty context and a key of the wrong size', () => {
    expect(() => encryptSecret(dataKey, 'x', '')).toThrow(/non-empty context/);
    expect(() => encryptSecret(dataKey.subarray(0, 16), 'x', context)).toThrow(/must be 32 bytes, not 16/);
  });
});

describe('secretHint', () => {
  it('shows at most a vendor prefix and the last four characters', () => {
    expect(secretHint('sk-proj-1234567890abcd')).toBe('sk-…abcd');
    expect(secretHint('ghp_0123456789ABCDEFwxyz')).toBe('ghp_…wxyz');
    expect(secretHint('0123456789abcdefWXYZ')).toBe('…WXYZ');
    expect(secretHint('  sk-proj-1234567890abcd\n')).toBe('sk-…abcd');
  });

  it('shows nothing of short secrets', () => {
    for (const short of ['', 'a', 'abcd', 'sk-12345678', '123456789012']) expect(secretHint(short)).toBe('…');
  });
});

describe('parseMasterKey', () => {
  const key = generateMasterKey();

  it('reads base64 and base64url, with or without padding and surrounding whitespace', () => {
    const urlSafe = Buffer.from(Array.from({ length: 32 }, () => 0xfb)); // encodes to "-" and "_" in base64url
    for (const text of [key.toString('base64'), `${key.toString('base64')}\n`, key.toString('base64url')]) {
      expect(parseMasterKey(text).equals(key)).toBe(true);
    }
    expect(parseMasterKey(urlSafe.toString('base64url')).equals(urlSafe)).toBe(true);
    expect(parseMasterKey(urlSafe.toString('base64')).equals(urlSafe)).toBe(true);
  });

  it('rejects the wrong length, a bad alphabet and emptiness without echoing the value', () => {
    const cases = [
      randomText(16),
      randomText(31),
      randomText(33),
      randomText(64),
      `${key.toString('base64').slice(0, 20)}!${key.toString('base64').slice(21)}`,
      key.toString('hex'),
      '',
      '   ',
    ];
    for (const text of cases) {
      const error = thrown(() => parseMasterKey(text, 'TENANTRY_MASTER_KEY'));
      expect(error.code).toBe('bad_request');
      expect(error.message).toMatch(/^TENANTRY_MASTER_KEY (is empty|is not base64|must decode to exactly 32 bytes)/);
      if (text.trim() !== '') expect(error.message).not.toContain(text.trim().slice(0, 8));
    }
    expect(thrown(() => parseMasterKey(randomText(31))).message).toMatch(/exactly 32 bytes, not 31/);
  });
});

function randomText(bytes: number): string {
  return randomBytes(bytes).toString('base64');
}

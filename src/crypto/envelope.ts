import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { TenantryError } from '../errors.js';

/**
 * Envelope encryption: each organization's secrets are sealed with its own data key, and the
 * data key is stored sealed ("wrapped") by the platform's master key. Rotating the master key
 * re-wraps data keys only; destroying a data key makes that tenant's secrets unreadable.
 *
 * Every sealed value, secret or wrapped key, has one layout:
 *
 *   [1 byte version = 1][12 bytes IV][16 bytes GCM tag][ciphertext]
 *
 * AES-256-GCM with a fresh random IV per seal. The AAD is never stored: the reader must name
 * the same context the writer did, which is what pins a ciphertext to its row and tenant.
 */

const KEY_BYTES = 32;
const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = 1 + IV_BYTES + TAG_BYTES;
/** Binds a wrapped key to its purpose, so a sealed secret can never pass for a data key. */
const DATA_KEY_AAD = 'tenantry:data-key';

/** 32 random bytes, a fresh master key. */
export function generateMasterKey(): Buffer {
  return randomBytes(KEY_BYTES);
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const BASE64URL = /^[A-Za-z0-9_-]+={0,2}$/;

/**
 * Reads a master key written as base64 or base64url (surrounding whitespace ignored).
 * Errors describe the problem, never the value, because the value is the key.
 *
 * @example
 * parseMasterKey(process.env.TENANTRY_MASTER_KEY ?? '') // from `openssl rand -base64 32`
 */
export function parseMasterKey(text: string, source = 'the master key'): Buffer {
  const trimmed = text.trim();
  const fix = 'generate one with: openssl rand -base64 32';
  if (trimmed === '') throw new TenantryError('bad_request', `${source} is empty; ${fix}`);
  // Buffer.from(…, 'base64') skips characters it does not know, so check the alphabet first.
  if (!BASE64.test(trimmed) && !BASE64URL.test(trimmed)) {
    throw new TenantryError('bad_request', `${source} is not base64 or base64url; ${fix}`);
  }
  const key = Buffer.from(trimmed, trimmed.includes('-') || trimmed.includes('_') ? 'base64url' : 'base64');
  if (key.length !== KEY_BYTES) {
    throw new TenantryError('bad_request', `${source} must decode to exactly ${KEY_BYTES} bytes, not ${key.length}; ${fix}`);
  }
  return key;
}

/** A new random data key for one organization, and the same key wrapped by the master key. */
export function createDataKey(masterKey: Buffer): { dataKey: Buffer; wrappedKey: Buffer } {
  const dataKey = randomBytes(KEY_BYTES);
  return { dataKey, wrappedKey: seal(masterKey, dataKey, DATA_KEY_AAD) };
}

/** Wraps an existing data key, e.g. re-wrapping a tenant's key for an export's target. */
export function wrapDataKey(masterKey: Buffer, dataKey: Buffer): Buffer {
  requireKey(dataKey, 'data key');
  return seal(masterKey, dataKey, DATA_KEY_AAD);
}

/** The data key inside `wrappedKey`; fails with one clear line when the master key is not the one that wrapped it. */
export function unwrapDataKey(masterKey: Buffer, wrappedKey: Buffer): Buffer {
  const dataKey = open(masterKey, wrappedKey, DATA_KEY_AAD);
  if (!dataKey || dataKey.length !== KEY_BYTES) {
    throw new TenantryError('internal', 'cannot unwrap the organization data key: wrong master key or damaged value');
  }
  return dataKey;
}

/** The same data key, wrapped by `newMaster` instead of `oldMaster`; the secrets it seals are untouched. */
export function rewrapDataKey(oldMaster: Buffer, newMaster: Buffer, wrappedKey: Buffer): Buffer {
  return wrapDataKey(newMaster, unwrapDataKey(oldMaster, wrappedKey));
}

/**
 * Seals a secret with an organization's data key. `context` names where the ciphertext lives
 * (`ai_providers:<org id>:<row id>`); decrypting it anywhere else fails.
 *
 * @example
 * const sealed = encryptSecret(dataKey, apiKey, `ai_providers:${organizationId}:${id}`);
 */
export function encryptSecret(dataKey: Buffer, plaintext: string, context: string): Buffer {
  requireContext(context);
  return seal(dataKey, Buffer.from(plaintext, 'utf8'), context);
}

/** Opens what `encryptSecret` sealed with the same key and context. */
export function decryptSecret(dataKey: Buffer, sealed: Buffer, context: string): string {
  requireContext(context);
  const plaintext = open(dataKey, sealed, context);
  if (!plaintext) {
    throw new TenantryError('internal', 'cannot decrypt the secret: wrong data key, wrong row or damaged value');
  }
  return plaintext.toString('utf8');
}

/**
 * A masked hint safe to show in lists: the vendor's prefix when there is one (`sk-`, `ghp_`)
 * and at most the last four characters, e.g. `sk-…abcd`. Secrets of twelve characters or
 * fewer show nothing but `…`, because four of them would be a third of the secret.
 */
export function secretHint(plaintext: string): string {
  const trimmed = plaintext.trim();
  const characters = [...trimmed];
  if (characters.length <= 12) return '…';
  const prefix = /^[A-Za-z]{2,4}[-_]/.exec(trimmed)?.[0] ?? '';
  return `${prefix}…${characters.slice(-4).join('')}`;
}

function seal(key: Buffer, plaintext: Buffer, aad: string): Buffer {
  requireKey(key, 'key');
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([Buffer.of(VERSION), iv, cipher.getAuthTag(), ciphertext]);
}

/** The plaintext, or null when the key, the AAD or any byte is wrong: callers word their own error. */
function open(key: Buffer, sealed: Buffer, aad: string): Buffer | null {
  requireKey(key, 'key');
  if (sealed.length < HEADER_BYTES || sealed[0] !== VERSION) return null;
  const iv = sealed.subarray(1, 1 + IV_BYTES);
  const tag = sealed.subarray(1 + IV_BYTES, HEADER_BYTES);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(sealed.subarray(HEADER_BYTES)), decipher.final()]);
  } catch {
    return null;
  }
}

function requireKey(key: Buffer, what: string): void {
  if (key.length !== KEY_BYTES) {
    throw new TenantryError('internal', `the ${what} must be ${KEY_BYTES} bytes, not ${key.length}`);
  }
}

function requireContext(context: string): void {
  // An empty context would let a ciphertext move between rows unnoticed.
  if (context === '') throw new TenantryError('internal', 'a secret needs a non-empty context');
  // The data-key AAD is reserved, so no secret can be sealed to pass for a wrapped key.
  if (context === DATA_KEY_AAD) throw new TenantryError('internal', `the context "${DATA_KEY_AAD}" is reserved for data keys`);
}

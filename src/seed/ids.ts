import { createHash } from 'node:crypto';

/** Tenantry's own namespace for seed identifiers; any fixed UUID works, this one must never change. */
const SEED_NAMESPACE = '6f1c3a52-8d0e-4b7a-9c21-5e4d7b0a9f13';

/**
 * A name-based UUID (RFC 9562 version 5: SHA-1 of namespace and name). The same name gives
 * the same id on every run and every database, which is what makes the seed idempotent:
 * a second run finds its rows by id and `on conflict do nothing` skips them.
 *
 * @example
 * uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8') // '2ed6657d-e927-568b-95e1-2665a8aea6a2'
 */
export function uuidV5(name: string, namespace: string): string {
  const namespaceBytes = Buffer.from(namespace.replaceAll('-', ''), 'hex');
  if (namespaceBytes.length !== 16) throw new Error(`namespace is not a UUID: ${namespace}`);
  const hash = createHash('sha1').update(namespaceBytes).update(name, 'utf8').digest();
  const bytes = hash.subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The stable id of a seeded row, named by what it is rather than where it was made.
 *
 * @example
 * seedId('organization', 'acme'); seedId('task', 'acme', 'WEB', 7)
 */
export function seedId(...parts: (string | number)[]): string {
  return uuidV5(parts.join(':'), SEED_NAMESPACE);
}

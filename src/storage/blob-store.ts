import { isUuid } from '../uuid.js';

/**
 * Where uploaded bytes live. The database keeps the metadata (project_assets); a blob store
 * keeps the bytes under a key made only of ids the server generated, never of user input.
 */
export type BlobKey = { organizationId: string; assetId: string };

export interface BlobStore {
  /** Stores the bytes; resolves once they are complete. Fails, leaving nothing behind, if `body` throws. */
  put(key: BlobKey, body: AsyncIterable<Uint8Array>): Promise<void>;
  /** The bytes as a stream, or null when there are none under the key. */
  get(key: BlobKey): Promise<ReadableStream<Uint8Array> | null>;
  /** Removes the bytes; a missing blob is not an error. */
  delete(key: BlobKey): Promise<void>;
}


/**
 * `<organizationId>/<assetId>`, the value stored in project_assets.storage_key. Refuses anything
 * but UUIDs, so a key can never climb out of its folder.
 */
export function storageKeyOf(key: BlobKey): string {
  for (const [name, value] of Object.entries(key)) {
    if (!isUuid(value)) throw new Error(`blob key ${name} must be a UUID`);
  }
  return `${key.organizationId.toLowerCase()}/${key.assetId.toLowerCase()}`;
}

import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type BlobKey, type BlobStore, storageKeyOf } from './blob-store.js';

/**
 * Blobs as files: `<root>/<organizationId>/<assetId>`, root being `<dataDir>/blobs`. Bytes are
 * written to a temporary name and renamed into place once complete, so a reader never sees half
 * a file and a failed upload leaves nothing under the real name.
 *
 * @example
 * const blobs = new LocalDiskBlobStore(join(config.dataDir, 'blobs'));
 */
export class LocalDiskBlobStore implements BlobStore {
  private readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  /** The file for a key; storageKeyOf admits UUIDs only, and the check below holds even if it did not. */
  pathOf(key: BlobKey): string {
    const path = resolve(this.root, ...storageKeyOf(key).split('/'));
    if (!path.startsWith(this.root + sep)) throw new Error('blob path escapes the store');
    return path;
  }

  async put(key: BlobKey, body: AsyncIterable<Uint8Array>): Promise<void> {
    const path = this.pathOf(key);
    await mkdir(join(path, '..'), { recursive: true, mode: 0o700 });
    const partial = `${path}.${randomBytes(6).toString('hex')}.part`;
    try {
      await pipeline(Readable.from(body), createWriteStream(partial, { flags: 'wx', mode: 0o600 }));
      // Flush to disk before the rename makes the file visible under its real name.
      const handle = await open(partial, 'r');
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(partial, path);
    } catch (error) {
      await rm(partial, { force: true });
      throw error;
    }
  }

  async get(key: BlobKey): Promise<ReadableStream<Uint8Array> | null> {
    let handle;
    try {
      // Opened here so a missing file is a null, not an error later in the response stream.
      handle = await open(this.pathOf(key), 'r');
    } catch (error) {
      if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return null;
      throw error;
    }
    // Readable.toWeb's return type is ReadableStream<any>; file streams yield Uint8Array chunks.
    return Readable.toWeb(handle.createReadStream({ autoClose: true })) as ReadableStream<Uint8Array>;
  }

  async delete(key: BlobKey): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }
}

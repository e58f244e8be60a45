import { createHash } from 'node:crypto';
import { TenantryError } from '../errors.js';

export type MeasuredBody = {
  /** The bytes, passed through; iterating fails with 413 once they exceed the limit. */
  chunks: AsyncIterable<Uint8Array>;
  /** Size and lower-case hex SHA-256, once `chunks` has been read to the end. */
  summary(): { sizeBytes: number; sha256: string };
};

/**
 * Counts and hashes a request body while it streams to storage, and stops it at `maxBytes`, so
 * an upload is never held in memory and an oversized one is cut off as soon as it crosses the
 * limit, whatever its Content-Length claimed.
 *
 * @example
 * const body = measureBody(c.req.raw.body, 10 * 1024 * 1024);
 * await blobStore.put(key, body.chunks);
 * const { sizeBytes, sha256 } = body.summary();
 */
export function measureBody(body: ReadableStream<Uint8Array> | null, maxBytes: number): MeasuredBody {
  const hash = createHash('sha256');
  let sizeBytes = 0;
  let done = false;
  let digest = '';
  async function* chunks(): AsyncGenerator<Uint8Array> {
    if (body) {
      for await (const chunk of body) {
        sizeBytes += chunk.byteLength;
        if (sizeBytes > maxBytes) {
          throw new TenantryError('payload_too_large', `files are limited to ${maxBytes} bytes`, { limit: maxBytes });
        }
        hash.update(chunk);
        yield chunk;
      }
    }
    digest = hash.digest('hex');
    done = true;
  }
  return {
    chunks: chunks(),
    summary() {
      if (!done) throw new Error('the body has not been read to the end');
      return { sizeBytes, sha256: digest };
    },
  };
}

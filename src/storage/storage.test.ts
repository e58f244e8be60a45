import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { storageKeyOf } from './blob-store.js';
import { LocalDiskBlobStore } from './local-disk.js';
import { measureBody } from './measured-body.js';

const root = mkdtempSync(join(tmpdir(), 'tenantry-blobs-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const streamOf = (...parts: string[]) => ReadableStream.from(parts.map((part) => new TextEncoder().encode(part)));
const bytes = streamOf;
const textOf = async (stream: ReadableStream<Uint8Array> | null) => (stream ? new Response(stream).text() : null);

describe('local disk blob store', () => {
  const store = new LocalDiskBlobStore(root);

  it('stores bytes at <root>/<organizationId>/<assetId>, reads them back and deletes them', async () => {
    const key = { organizationId: randomUUID(), assetId: randomUUID() };
    await store.put(key, bytes('hello ', 'blob'));
    expect(readFileSync(join(root, key.organizationId, key.assetId), 'utf8')).toBe('hello blob');
    expect(await textOf(await store.get(key))).toBe('hello blob');
    await store.delete(key);
    expect(await store.get(key)).toBeNull();
    await store.delete(key);
  });

  it('leaves nothing behind when the body fails part-way', async () => {
    const key = { organizationId: randomUUID(), assetId: randomUUID() };
    let pulls = 0;
    const failing = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulls += 1;
        if (pulls === 1) controller.enqueue(new Uint8Array([1, 2, 3]));
        else controller.error(new Error('client went away'));
      },
    });
    await expect(store.put(key, failing)).rejects.toThrow('client went away');
    expect(pulls).toBe(2);
    expect(readdirSync(join(root, key.organizationId))).toEqual([]);
  });

  it('accepts only UUIDs as key parts, so no key can name a path', () => {
    const organizationId = randomUUID();
    for (const assetId of ['../../etc/passwd', '..', 'a/b', '']) {
      expect(() => store.pathOf({ organizationId, assetId })).toThrow('must be a UUID');
    }
    expect(storageKeyOf({ organizationId, assetId: organizationId.toUpperCase() })).toBe(`${organizationId}/${organizationId}`);
  });
});

describe('measured request body', () => {
  it('passes the bytes through with their size and SHA-256', async () => {
    const body = measureBody(streamOf('abc', 'def'), 6);
    expect(() => body.summary()).toThrow('not been read');
    const seen: number[] = [];
    for await (const chunk of body.chunks) seen.push(chunk.byteLength);
    expect(seen).toEqual([3, 3]);
    expect(body.summary()).toEqual({ sizeBytes: 6, sha256: createHash('sha256').update('abcdef').digest('hex') });
  });

  it('stops with payload_too_large as soon as the limit is crossed', async () => {
    const body = measureBody(streamOf('abc', 'def', 'ghi'), 5);
    await expect(async () => {
      for await (const _chunk of body.chunks) void _chunk;
    }).rejects.toMatchObject({ code: 'payload_too_large', details: { limit: 5 } });
  });

  it('treats a missing body as an empty file', async () => {
    const body = measureBody(null, 10);
    for await (const _chunk of body.chunks) void _chunk;
    expect(body.summary()).toEqual({ sizeBytes: 0, sha256: createHash('sha256').digest('hex') });
  });
});

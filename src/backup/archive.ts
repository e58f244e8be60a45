import { createHash } from 'node:crypto';
import { openAsBlob } from 'node:fs';
import { type FileHandle, open, rename, rm, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { TenantryError } from '../errors.js';
import { type BackupManifest, MANIFEST_NAME, ManifestSchema, PAYLOAD_NAMES } from './manifest.js';

/**
 * The backup file is a plain POSIX (ustar) tar with exactly two members:
 *
 *   database.dump | pgdata.tar.gz   the payload: pg_dump's custom format (compressed by pg_dump),
 *                                   or PGlite's gzip'd data folder
 *   manifest.json                   BackupManifest: engine, tools, payload sha256, per-table checksums
 *
 * Why tar rather than a sidecar or a framed format of our own: one file to move around, and
 * anyone can look inside with `tar tf` or pull the dump out with `tar xOf f database.dump |
 * pg_restore …` without Tenantry. The manifest goes last because it carries the payload's
 * sha256, computed while the payload is copied in: one pass, and a truncated file always
 * loses its manifest, so truncation is caught before anything else is read.
 */

const BLOCK = 512;
const COPY_CHUNK = 1 << 20;

export type BackupArchive = {
  file: string;
  manifest: BackupManifest;
  /** Where the payload's bytes start in the file, and how many there are. */
  payloadOffset: number;
  payloadBytes: number;
};

/**
 * Writes the archive to `<out>.partial` and renames it into place once it is complete and
 * synced, so a crash or a full disk never leaves something that looks like a backup.
 */
export async function writeArchive(
  out: string,
  payloadFile: string,
  manifest: Omit<BackupManifest, 'payload'>,
): Promise<BackupManifest> {
  const partial = `${out}.partial`;
  const payloadName = PAYLOAD_NAMES[manifest.engine];
  const { size } = await stat(payloadFile);
  const mtime = Math.floor(Date.now() / 1000);
  const target = await open(partial, 'w');
  try {
    await target.write(tarHeader(payloadName, size, mtime));
    const sha256 = await copyHashing(payloadFile, target);
    await target.write(Buffer.alloc(padding(size)));

    const complete: BackupManifest = { ...manifest, payload: { name: payloadName, bytes: size, sha256 } };
    const json = Buffer.from(`${JSON.stringify(complete, null, 2)}\n`);
    await target.write(tarHeader(MANIFEST_NAME, json.length, mtime));
    await target.write(json);
    await target.write(Buffer.alloc(padding(json.length) + 2 * BLOCK));
    await target.sync();
    await target.close();
    await rename(partial, out);
    return complete;
  } catch (error) {
    await target.close().catch(() => undefined);
    await rm(partial, { force: true });
    throw error;
  }
}

/**
 * Reads the archive's structure and manifest without reading the payload: cheap, and enough
 * to refuse a file that is not a backup, is cut short, or has a damaged manifest.
 */
export async function openArchive(file: string): Promise<BackupArchive> {
  const name = basename(file);
  const handle = await open(file, 'r').catch((error: unknown) => {
    throw new TenantryError('bad_request', `cannot read ${file}: ${reasonOf(error)}`);
  });
  try {
    const { size: fileSize } = await handle.stat();
    const first = await readHeader(handle, 0, fileSize, name);
    if (first.name !== PAYLOAD_NAMES.postgres && first.name !== PAYLOAD_NAMES.pglite) {
      throw notABackup(name, `its first member is "${first.name}", not a database payload`);
    }
    const manifestAt = BLOCK + first.size + padding(first.size);
    const second = await readHeader(handle, manifestAt, fileSize, name);
    if (second.name !== MANIFEST_NAME) throw notABackup(name, `it has "${second.name}" where ${MANIFEST_NAME} belongs`);
    const end = manifestAt + BLOCK + second.size + padding(second.size) + 2 * BLOCK;
    if (fileSize < end) throw truncated(name, end, fileSize);

    const text = (await readExactly(handle, manifestAt + BLOCK, second.size)).toString('utf8');
    const manifest = parseManifest(text, name);
    if (manifest.payload.name !== first.name || manifest.payload.bytes !== first.size) {
      throw damaged(name, `${MANIFEST_NAME} describes a different payload than the file holds`);
    }
    return { file, manifest, payloadOffset: BLOCK, payloadBytes: first.size };
  } finally {
    await handle.close();
  }
}

/** Re-reads the payload and compares its sha256 with the manifest's. */
export async function verifyPayload(archive: BackupArchive): Promise<void> {
  const hash = createHash('sha256');
  const source = await open(archive.file, 'r');
  try {
    await forEachChunk(source, archive.payloadOffset, archive.payloadBytes, (chunk) => {
      hash.update(chunk);
      return Promise.resolve();
    });
  } finally {
    await source.close();
  }
  if (hash.digest('hex') !== archive.manifest.payload.sha256) {
    throw damaged(basename(archive.file), `${archive.manifest.payload.name} does not match the sha256 in ${MANIFEST_NAME}`);
  }
}

/** Copies the payload out to its own file (pg_restore wants a seekable file). */
export async function extractPayload(archive: BackupArchive, to: string): Promise<void> {
  const source = await open(archive.file, 'r');
  const target = await open(to, 'wx');
  try {
    await forEachChunk(source, archive.payloadOffset, archive.payloadBytes, async (chunk) => {
      await target.write(chunk);
    });
  } finally {
    await Promise.all([source.close(), target.close()]);
  }
}

/** The payload as a Blob backed by the file (what PGlite's loadDataDir takes). */
export async function payloadBlob(archive: BackupArchive): Promise<Blob> {
  const whole = await openAsBlob(archive.file);
  return whole.slice(archive.payloadOffset, archive.payloadOffset + archive.payloadBytes);
}

async function copyHashing(from: string, target: FileHandle): Promise<string> {
  const hash = createHash('sha256');
  const source = await open(from, 'r');
  try {
    const { size } = await source.stat();
    await forEachChunk(source, 0, size, async (chunk) => {
      hash.update(chunk);
      await target.write(chunk);
    });
  } finally {
    await source.close();
  }
  return hash.digest('hex');
}

async function forEachChunk(
  source: FileHandle,
  offset: number,
  length: number,
  visit: (chunk: Buffer) => Promise<void>,
): Promise<void> {
  const buffer = Buffer.alloc(Math.min(COPY_CHUNK, Math.max(length, 1)));
  let done = 0;
  while (done < length) {
    const { bytesRead } = await source.read(buffer, 0, Math.min(buffer.length, length - done), offset + done);
    if (bytesRead === 0) throw new TenantryError('bad_request', 'the backup file shrank while it was being read');
    await visit(buffer.subarray(0, bytesRead));
    done += bytesRead;
  }
}

type TarEntry = { name: string; size: number };

async function readHeader(handle: FileHandle, at: number, fileSize: number, file: string): Promise<TarEntry> {
  if (fileSize < at + BLOCK) throw at === 0 ? notABackup(file, 'it is too short to be a tar archive') : truncated(file, at + BLOCK, fileSize);
  const block = await readExactly(handle, at, BLOCK);
  if (block.toString('latin1', 257, 262) !== 'ustar' || storedChecksum(block) !== computedChecksum(block)) {
    throw at === 0 ? notABackup(file, 'it is not a tar archive') : damaged(file, `the tar header at byte ${at} is corrupt`);
  }
  const entry = { name: cString(block, 0, 100), size: readSize(block) };
  if (fileSize < at + BLOCK + entry.size) throw truncated(file, at + BLOCK + entry.size, fileSize);
  return entry;
}

async function readExactly(handle: FileHandle, at: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await handle.read(buffer, 0, length, at);
  if (bytesRead !== length) throw new TenantryError('bad_request', 'the backup file shrank while it was being read');
  return buffer;
}

function parseManifest(text: string, file: string): BackupManifest {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw damaged(file, `${MANIFEST_NAME} is not valid JSON`);
  }
  const parsed = ManifestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw damaged(file, `${MANIFEST_NAME} is not a Tenantry backup manifest (${issue?.path.join('.') || 'manifest'}: ${issue?.message ?? 'invalid'})`);
  }
  return parsed.data;
}

/** A ustar header for a regular file, mode 0644, owned by uid/gid 0. */
function tarHeader(name: string, size: number, mtime: number): Buffer {
  const block = Buffer.alloc(BLOCK);
  block.write(name, 0, 100, 'utf8');
  writeOctal(block, 100, 8, 0o644);
  writeOctal(block, 108, 8, 0);
  writeOctal(block, 116, 8, 0);
  writeSize(block, size);
  writeOctal(block, 136, 12, mtime);
  block.write('0', 156, 'latin1');
  block.write('ustar\u000000', 257, 'latin1');
  block.write(`${computedChecksum(block).toString(8).padStart(6, '0')}\u0000 `, 148, 'latin1');
  return block;
}

function writeOctal(block: Buffer, offset: number, length: number, value: number): void {
  block.write(`${value.toString(8).padStart(length - 1, '0')}\u0000`, offset, length, 'latin1');
}

/** Eleven octal digits hold sizes below 8 GiB; beyond that, GNU tar's base-256 form (high bit set). */
function writeSize(block: Buffer, size: number): void {
  if (size < 8 ** 11) {
    writeOctal(block, 124, 12, size);
    return;
  }
  let rest = BigInt(size);
  for (let i = 135; i > 124; i--) {
    block[i] = Number(rest & 0xffn);
    rest >>= 8n;
  }
  block[124] = 0x80;
}

function readSize(block: Buffer): number {
  if (((block[124] ?? 0) & 0x80) !== 0) {
    let size = 0n;
    for (let i = 125; i < 136; i++) size = (size << 8n) | BigInt(block[i] ?? 0);
    return Number(size);
  }
  return Number.parseInt(cString(block, 124, 12).trim() || '0', 8);
}

/** The header checksum: the byte sum with the checksum field itself read as eight spaces. */
function computedChecksum(block: Buffer): number {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : (block[i] ?? 0);
  return sum;
}

function storedChecksum(block: Buffer): number {
  return Number.parseInt(cString(block, 148, 8).trim(), 8);
}

function cString(block: Buffer, offset: number, length: number): string {
  const field = block.subarray(offset, offset + length);
  const end = field.indexOf(0);
  return field.toString('utf8', 0, end === -1 ? length : end);
}

function padding(size: number): number {
  return (BLOCK - (size % BLOCK)) % BLOCK;
}

function notABackup(file: string, why: string): TenantryError {
  return new TenantryError('bad_request', `${file} is not a Tenantry backup: ${why}`);
}

function truncated(file: string, needed: number, actual: number): TenantryError {
  return new TenantryError('bad_request', `${file} is truncated: it has ${actual} bytes where at least ${needed} are needed (copy it again from where it was written)`);
}

function damaged(file: string, why: string): TenantryError {
  return new TenantryError('bad_request', `${file} is damaged: ${why}`);
}

function reasonOf(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'code' in error && error.code === 'ENOENT') return 'no such file';
  return error instanceof Error ? error.message : String(error);
}

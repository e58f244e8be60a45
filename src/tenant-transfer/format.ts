import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { z } from 'zod';
import { TenantryError } from '../errors.js';

/**
 * The tenant export file, version 1 (docs/tenant-export-format.md): NDJSON, one JSON value per
 * line, each line ended by "\n", gzip'd when the file name ends in `.gz`.
 *
 *   line 1      header   {"format":"tenantry-tenant-export","format_version":1,…,"header_sha256":"…"}
 *   lines 2..n  body     {"table":"<name>","row":{<columns in table order>}}
 *   last line   trailer  {"trailer":{"body_lines":<n>,"body_sha256":"<hex>"}}
 *
 * Everything after the header is a pure function of the organization's rows, so exporting the
 * same rows twice gives the same bytes there; the header carries what changes between runs.
 */
export const FORMAT_NAME = 'tenantry-tenant-export';
export const FORMAT_VERSION = 1;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SHA256_HEX = /^[0-9a-f]{64}$/;

export const TableEntrySchema = z.strictObject({
  name: z.string().min(1),
  kind: z.enum(['platform', 'tenant']),
  columns: z.array(z.string().min(1)).min(1),
  rows: z.number().int().nonnegative(),
});

export const DataKeySchema = z.strictObject({
  /** What the organization's data key is wrapped with for the journey. */
  wrapped_with: z.enum(['transfer-key', 'target-master-key']),
  /** The wrapped data key, base64 (the envelope layout of src/crypto/envelope.ts). */
  wrapped_key: z.string().regex(/^[A-Za-z0-9+/]+={0,2}$/),
});

export const HeaderSchema = z.strictObject({
  format: z.literal(FORMAT_NAME),
  format_version: z.literal(FORMAT_VERSION),
  schema_version: z.string().min(1),
  organization: z.strictObject({ id: z.string().regex(UUID), slug: z.string().min(1), name: z.string() }),
  exported_at: z.string(),
  data_key: DataKeySchema.nullable(),
  tables: z.array(TableEntrySchema).min(1),
  header_sha256: z.string().regex(SHA256_HEX),
});

export type ExportHeader = z.infer<typeof HeaderSchema>;
export type TableEntry = z.infer<typeof TableEntrySchema>;
export type DataKeyEntry = z.infer<typeof DataKeySchema>;

const BodyLineSchema = z.strictObject({ table: z.string().min(1), row: z.record(z.string(), z.unknown()) });
const TrailerSchema = z.strictObject({
  trailer: z.strictObject({ body_lines: z.number().int().nonnegative(), body_sha256: z.string().regex(SHA256_HEX) }),
});

export type BodyLine = z.infer<typeof BodyLineSchema>;
export type Trailer = z.infer<typeof TrailerSchema>['trailer'];

/**
 * The header line: every member in a fixed order (nested ones too), then `header_sha256`, the
 * sha256 of the same JSON text without that member. Reading re-renders the parsed header and
 * compares text, so a header that is not exactly what an export writes is damage.
 */
export function headerLine(header: Omit<ExportHeader, 'header_sha256'>): string {
  const { organization, data_key: dataKey } = header;
  const ordered = {
    format: header.format,
    format_version: header.format_version,
    schema_version: header.schema_version,
    organization: { id: organization.id, slug: organization.slug, name: organization.name },
    exported_at: header.exported_at,
    data_key: dataKey && { wrapped_with: dataKey.wrapped_with, wrapped_key: dataKey.wrapped_key },
    tables: header.tables.map((t) => ({ name: t.name, kind: t.kind, columns: t.columns, rows: t.rows })),
  };
  return `${JSON.stringify({ ...ordered, header_sha256: sha256(JSON.stringify(ordered)) })}\n`;
}

/** One body line; `rowJson` is the row exactly as PostgreSQL rendered it, never re-serialized. */
export function bodyLine(table: string, rowJson: string): string {
  return `{"table":${JSON.stringify(table)},"row":${rowJson}}\n`;
}

export function trailerLine(trailer: Trailer): string {
  return `${JSON.stringify({ trailer: { body_lines: trailer.body_lines, body_sha256: trailer.body_sha256 } })}\n`;
}

export function sha256(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Says what is wrong with a file and that nothing happened because of it. */
export function damaged(file: string, reason: string): TenantryError {
  return new TenantryError('bad_request', `${file} is damaged or not a tenant export: ${reason}; nothing was written`);
}

/** Parses and checks the header line: known format and version, and its own checksum. */
export function parseHeader(file: string, line: string): ExportHeader {
  const raw = parseJson(file, 1, line);
  const probe = z.looseObject({ format: z.unknown(), format_version: z.unknown() }).safeParse(raw);
  if (!probe.success || probe.data.format !== FORMAT_NAME) {
    throw damaged(file, `line 1 is not a ${FORMAT_NAME} header`);
  }
  if (probe.data.format_version !== FORMAT_VERSION) {
    throw new TenantryError(
      'bad_request',
      `${file} is format version ${JSON.stringify(probe.data.format_version)}; this tenantry reads version ${FORMAT_VERSION}; nothing was written`,
    );
  }
  const parsed = HeaderSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw damaged(file, `header member ${issue?.path.join('.') ?? '?'}: ${issue?.message ?? 'invalid'}`);
  }
  // headerLine ignores the parsed checksum and computes it afresh.
  if (headerLine(parsed.data) !== `${line}\n`) throw damaged(file, 'the header does not match its checksum');
  return parsed.data;
}

/** A body line or the trailer; anything else is damage. */
export function parseBodyOrTrailer(file: string, lineNumber: number, line: string): BodyLine | { trailer: Trailer } {
  const raw = parseJson(file, lineNumber, line);
  const body = BodyLineSchema.safeParse(raw);
  if (body.success) return body.data;
  const trailer = TrailerSchema.safeParse(raw);
  if (trailer.success) return trailer.data;
  throw damaged(file, `line ${lineNumber} is neither a row nor the trailer`);
}

function parseJson(file: string, lineNumber: number, line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    throw damaged(file, `line ${lineNumber} is not JSON`);
  }
}

/** Lines longer than this are damage, not data: it bounds what one line can make us hold in memory. */
const MAX_LINE_BYTES = 256 * 1024 * 1024;

/**
 * The file's lines as raw bytes without their "\n", gunzipping when the file starts with the
 * gzip magic number (whatever its name). A last line without "\n" means the file was cut.
 */
export async function* readLines(file: string): AsyncGenerator<Buffer> {
  const gzip = await isGzip(file);
  const source = createReadStream(file);
  const stream = gzip ? source.pipe(createGunzip()) : source;
  source.on('error', (error) => stream.destroy(error));
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  try {
    for await (const chunk of stream) {
      const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
      let start = 0;
      for (let newline = buffer.indexOf(0x0a); newline !== -1; newline = buffer.indexOf(0x0a, start)) {
        pending.push(buffer.subarray(start, newline));
        yield pending.length === 1 ? (pending[0] ?? Buffer.alloc(0)) : Buffer.concat(pending);
        pending = [];
        pendingBytes = 0;
        start = newline + 1;
      }
      if (start < buffer.length) {
        pending.push(buffer.subarray(start));
        pendingBytes += buffer.length - start;
        if (pendingBytes > MAX_LINE_BYTES) throw damaged(file, `a line is longer than ${MAX_LINE_BYTES} bytes`);
      }
    }
  } catch (error) {
    if (error instanceof TenantryError) throw error;
    throw readError(file, error);
  } finally {
    source.destroy();
  }
  if (pendingBytes > 0) throw damaged(file, 'it ends in the middle of a line (truncated?)');
}

async function isGzip(file: string): Promise<boolean> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    throw readError(file, error);
  }
  try {
    const magic = Buffer.alloc(2);
    const { bytesRead } = await handle.read(magic, 0, 2, 0);
    return bytesRead === 2 && magic[0] === 0x1f && magic[1] === 0x8b;
  } finally {
    await handle.close();
  }
}

function readError(file: string, error: unknown): TenantryError {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
  if (code === 'ENOENT') return new TenantryError('not_found', `no such file: ${file}`);
  if (code.startsWith('Z_')) return damaged(file, 'the gzip data is cut short or corrupt');
  return new TenantryError('bad_request', `cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`);
}

/**
 * Writes lines to a file (gzip'd when the name ends in `.gz`) or to a stream. A file is written
 * under a temporary name and renamed at the end, so a failed export leaves no file behind.
 */
export async function writeLines(out: string | Writable, lines: AsyncIterable<string>): Promise<void> {
  if (typeof out !== 'string') {
    await pipeline(Readable.from(lines), out, { end: false });
    return;
  }
  const partial = `${out}.partial-${process.pid}`;
  try {
    if (out.endsWith('.gz')) {
      await pipeline(Readable.from(lines), createGzip(), createWriteStream(partial, { mode: 0o600 }));
    } else {
      await pipeline(Readable.from(lines), createWriteStream(partial, { mode: 0o600 }));
    }
    await rename(partial, out);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
}

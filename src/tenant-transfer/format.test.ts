import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { type ExportHeader, FORMAT_NAME, FORMAT_VERSION, headerLine, parseHeader, readLines } from './format.js';

const dir = mkdtempSync(join(tmpdir(), 'tenantry-format-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const header: Omit<ExportHeader, 'header_sha256'> = {
  format: FORMAT_NAME,
  format_version: FORMAT_VERSION,
  schema_version: '0005',
  organization: { id: '0190a8a8-0000-7000-8000-00000000000a', slug: 'acme', name: 'Acme "Robotics"' },
  exported_at: '2025-01-02T03:04:05.678Z',
  data_key: null,
  tables: [{ name: 'organizations', kind: 'tenant', columns: ['id', 'slug'], rows: 1 }],
};

async function lines(content: string | Buffer): Promise<string[]> {
  const file = join(dir, `f-${Math.random()}`);
  writeFileSync(file, content);
  const result: string[] = [];
  for await (const line of readLines(file)) result.push(line.toString('utf8'));
  return result;
}

describe('header', () => {
  it('reads back what it writes', () => {
    const line = headerLine(header).trimEnd();
    expect(parseHeader('f', line)).toEqual({ ...header, header_sha256: expect.stringMatching(/^[0-9a-f]{64}$/) as unknown });
  });

  it('refuses an edited, reformatted or foreign header, and a newer format version', () => {
    const line = headerLine(header).trimEnd();
    expect(() => parseHeader('f', line.replace('"rows":1', '"rows":2'))).toThrow(/header does not match its checksum/);
    expect(() => parseHeader('f', JSON.stringify(JSON.parse(line), null, 1).replaceAll('\n', ''))).toThrow(/checksum/);
    expect(() => parseHeader('f', '{"hello":"world"}')).toThrow(/line 1 is not a tenantry-tenant-export header/);
    expect(() => parseHeader('f', 'not json')).toThrow(/line 1 is not JSON/);
    expect(() => parseHeader('f', line.replace('"format_version":1', '"format_version":2'))).toThrow(
      /format version 2; this tenantry reads version 1/,
    );
  });
});

describe('readLines', () => {
  it('splits on newline only, so U+2028 and carriage returns inside a line stay in it', async () => {
    expect(await lines('a\u2028b\r\nc\n')).toEqual(['a\u2028b\r', 'c']);
  });

  it('reads gzip by its magic number, whatever the name', async () => {
    expect(await lines(gzipSync('one\ntwo\n'))).toEqual(['one', 'two']);
  });

  it('calls a missing final newline and cut gzip data damage', async () => {
    await expect(lines('one\ntwo')).rejects.toThrow(/ends in the middle of a line/);
    const gz = gzipSync('one\ntwo\n'.repeat(1000));
    await expect(lines(gz.subarray(0, gz.length - 10))).rejects.toThrow(/gzip data is cut short or corrupt/);
  });

  it('names a missing file', async () => {
    const gen = readLines(join(dir, 'missing.ndjson'));
    await expect(gen.next()).rejects.toThrow(/no such file/);
  });
});

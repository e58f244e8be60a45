import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openArchive, verifyPayload, writeArchive } from './archive.js';
import { BACKUP_FORMAT, BACKUP_FORMAT_VERSION, type BackupManifest } from './manifest.js';
import { connectionEnv, dbnameArgument } from './pg-tools.js';
import { checksumMismatches } from './snapshot.js';

const dir = mkdtempSync(join(tmpdir(), 'tenantry-archive-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const manifest: Omit<BackupManifest, 'payload'> = {
  format: BACKUP_FORMAT,
  format_version: BACKUP_FORMAT_VERSION,
  engine: 'postgres',
  created_at: new Date('2025-01-31T02:00:00Z').toISOString(),
  source: 'postgres://postgres@127.0.0.1:5432/tenantry',
  server_version: '15.20',
  tool: { name: 'pg_dump', version: '15.20' },
  schema_version: '0005',
  tables: [{ table: 'public.tasks', rows: 3, checksum: 'a'.repeat(32) }],
};

/** A payload of 1,500 bytes: not a multiple of the 512-byte tar block, so padding is exercised. */
async function writeSample(name: string): Promise<{ file: string; payload: Buffer }> {
  const payload = Buffer.from(Array.from({ length: 1500 }, (_, i) => i % 251));
  const payloadFile = join(dir, `${name}.payload`);
  writeFileSync(payloadFile, payload);
  const file = join(dir, `${name}.tar`);
  await writeArchive(file, payloadFile, manifest);
  return { file, payload };
}

/** The single line a rejected open or verify reports. */
async function failure(file: string): Promise<string> {
  try {
    await verifyPayload(await openArchive(file));
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  throw new Error(`${file} was accepted`);
}

describe('backup archive', () => {
  it('reads back the manifest and payload it wrote, with the payload sha256 filled in', async () => {
    const { file, payload } = await writeSample('round-trip');
    const archive = await openArchive(file);
    expect(archive.manifest).toMatchObject({ ...manifest, payload: { name: 'database.dump', bytes: payload.length } });
    await verifyPayload(archive);
    expect(readFileSync(file).subarray(archive.payloadOffset, archive.payloadOffset + archive.payloadBytes)).toEqual(payload);
  });

  it('is a tar that standard tools can list and extract', async () => {
    const { file, payload } = await writeSample('tar-compatible');
    expect(execFileSync('tar', ['tf', file], { encoding: 'utf8' }).trim().split('\n')).toEqual(['database.dump', 'manifest.json']);
    expect(execFileSync('tar', ['xOf', file, 'database.dump'])).toEqual(payload);
  });

  it('refuses a file cut short anywhere, in one line', async () => {
    const { file } = await writeSample('truncated');
    const size = readFileSync(file).length;
    for (const length of [0, 100, 511, 512, 1500, 2048, 2560, size - 1024, size - 1]) {
      const cut = join(dir, `truncated-${length}.tar`);
      writeFileSync(cut, readFileSync(file));
      truncateSync(cut, length);
      const message = await failure(cut);
      expect(message, `cut at ${length}`).toMatch(/is truncated|is not a Tenantry backup/);
      expect(message).not.toContain('\n');
    }
  });

  it('refuses a payload with a flipped byte', async () => {
    const { file } = await writeSample('corrupt-payload');
    const bytes = readFileSync(file);
    bytes[512 + 700] = (bytes[512 + 700] ?? 0) ^ 0xff;
    writeFileSync(file, bytes);
    expect(await failure(file)).toBe('corrupt-payload.tar is damaged: database.dump does not match the sha256 in manifest.json');
  });

  it('refuses a damaged manifest or header', async () => {
    const { file } = await writeSample('corrupt-manifest');
    const bytes = readFileSync(file);
    const manifestAt = bytes.indexOf('{\n  "format"');
    bytes[manifestAt] = 0x5b; // "{" → "[": the JSON no longer parses
    writeFileSync(file, bytes);
    expect(await failure(file)).toMatch(/is damaged: manifest.json is not valid JSON/);

    const header = readFileSync(file);
    header[10] = 0x41; // inside the first member's name: the header checksum no longer matches
    writeFileSync(file, header);
    expect(await failure(file)).toMatch(/is not a Tenantry backup: it is not a tar archive/);
  });

  it('refuses a file that is not a backup at all', async () => {
    const file = join(dir, 'other.tar');
    writeFileSync(file, 'hello\n'.repeat(200));
    expect(await failure(file)).toBe('other.tar is not a Tenantry backup: it is not a tar archive');
    expect(await failure(join(dir, 'missing.tar'))).toMatch(/^cannot read .*missing\.tar: no such file$/);
  });
});

describe('checksumMismatches', () => {
  const table = (name: string, rows: number, checksum: string) => ({ table: name, rows, checksum: checksum.repeat(32) });

  it('names every table that differs, is missing or is extra', () => {
    const expected = [table('public.a', 1, 'a'), table('public.b', 2, 'b'), table('public.c', 3, 'c')];
    const actual = [table('public.a', 1, 'a'), table('public.b', 2, 'f'), table('public.d', 0, 'd')];
    expect(checksumMismatches(expected, actual)).toEqual([
      'public.b has 2 rows as it should, but their contents differ',
      'public.c is missing',
      'public.d is not in the backup',
    ]);
    expect(checksumMismatches(expected, [table('public.a', 1, 'a'), table('public.b', 1, 'b'), table('public.c', 3, 'c')])).toEqual([
      'public.b has 1 rows where the backup has 2',
    ]);
    expect(checksumMismatches(expected, expected)).toEqual([]);
  });
});

describe('pg_dump / pg_restore connection', () => {
  it('passes the connection, password included, through the environment', () => {
    expect(connectionEnv('postgres://app%40corp:p%3Ass@db.example:6543/tenantry?sslmode=require&ignored=1')).toEqual({
      PGHOST: 'db.example',
      PGPORT: '6543',
      PGUSER: 'app@corp',
      PGPASSWORD: 'p:ss',
      PGDATABASE: 'tenantry',
      PGSSLMODE: 'require',
    });
  });

  it('quotes the database name as conninfo so it is never read as a URL or key=value', () => {
    expect(dbnameArgument("it's a=b")).toBe("dbname='it\\'s a=b'");
  });
});

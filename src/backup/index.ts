import { existsSync, statSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import type { AppConfig } from '../config.js';
import { openDatabase, redactUrl } from '../db/connection.js';
import { TenantryError } from '../errors.js';
import { type ValidationReport, validateDatabase } from '../validate/index.js';
import { type BackupArchive, openArchive, verifyPayload } from './archive.js';
import type { BackupEngine, BackupManifest } from './manifest.js';
import { backupPglite, checkPgliteRestore, restorePglite } from './pglite.js';
import { backupPostgres, checkPostgresRestore, restorePostgres } from './postgres.js';
import { ProgressClock, type ProgressSink } from './progress.js';
import { checksumMismatches, inReadOnlySnapshot, readTableChecksums } from './snapshot.js';

export type { BackupManifest, TableChecksum } from './manifest.js';
export type { ProgressSink } from './progress.js';

export type BackupOptions = {
  /** The file to write; refused when it exists already. */
  out: string;
  onProgress?: ProgressSink;
};

export type BackupResult = { file: string; bytes: number; manifest: BackupManifest; elapsed: string };

/**
 * Writes a full, compressed backup of the configured database to one file (format in
 * archive.ts), then reads it back to prove it is whole.
 *
 * @example
 * const { file, manifest } = await backupDatabase(config.database, { out: 'nightly.tar', onProgress: say });
 */
export async function backupDatabase(database: AppConfig['database'], options: BackupOptions): Promise<BackupResult> {
  const clock = new ProgressClock(options.onProgress);
  const out = resolve(options.out);
  if (existsSync(out)) throw new TenantryError('refused', `${options.out} already exists; choose another --out or move it away`);
  if (!existsSync(dirname(out)) || !statSync(dirname(out)).isDirectory()) {
    throw new TenantryError('bad_request', `cannot write ${options.out}: the folder ${dirname(out)} does not exist`);
  }
  const manifest =
    database.kind === 'postgres'
      ? await backupPostgres(database.url, out, clock)
      : await backupPglite(database.dataDir, out, clock);
  clock.step(`verifying ${basename(out)}`);
  await verifyPayload(await openArchive(out));
  return { file: out, bytes: statSync(out).size, manifest, elapsed: clock.elapsed() };
}

export type RestoreTarget = { kind: 'postgres'; url: string } | { kind: 'pglite'; dataDir: string };

/** `--into` as given (a postgres:// URL, or a PGlite folder), else the configured database. */
export function restoreTarget(into: string | undefined, database: AppConfig['database']): RestoreTarget {
  if (into === undefined) return database;
  if (/^postgres(ql)?:\/\//i.test(into)) {
    if (!URL.canParse(into)) throw new TenantryError('bad_request', `--into is not a valid URL: ${redactUrl(into)}`);
    return { kind: 'postgres', url: into };
  }
  return { kind: 'pglite', dataDir: into };
}

export function describeTarget(target: RestoreTarget): string {
  return target.kind === 'postgres' ? `postgres at ${redactUrl(target.url)}` : `pglite at ${target.dataDir}`;
}

export type RestoreOptions = { onProgress?: ProgressSink };

export type RestoreResult = {
  engine: BackupEngine;
  manifest: BackupManifest;
  createdDatabase: boolean;
  tables: number;
  rows: number;
  /** validateDatabase on the restored database; the caller decides what a finding means. */
  report: ValidationReport;
  elapsed: string;
};

/**
 * Restores a backup into an empty database, then proves it: every table's row count and
 * checksum must equal the manifest's (a mismatch throws, naming the tables), and the result
 * of validateDatabase is returned. Every refusal (not a backup, damaged, wrong engine, target
 * not empty, tools missing) happens before anything is written.
 *
 * @example
 * const result = await restoreBackup('nightly.tar', restoreTarget('postgres://…/copy', config.database), { onProgress: say });
 */
export async function restoreBackup(file: string, target: RestoreTarget, options: RestoreOptions = {}): Promise<RestoreResult> {
  const clock = new ProgressClock(options.onProgress);
  const archive = await openArchive(file);
  const { manifest } = archive;
  clock.step(
    `${basename(file)}: ${manifest.engine} backup of ${manifest.source}, made ${manifest.created_at}, ` +
      `schema ${manifest.schema_version ?? '(none)'}, ${manifest.tables.length} tables`,
  );
  if (manifest.engine !== target.kind) {
    throw new TenantryError(
      'refused',
      `${basename(file)} is a ${manifest.engine} backup and cannot be restored into ${target.kind}; ` +
        (manifest.engine === 'postgres' ? 'pass --into postgres://…' : 'pass --into <folder>'),
    );
  }
  const restore = await prepareRestore(archive, target, clock);
  clock.step(`verifying ${basename(file)}`);
  await verifyPayload(archive);
  const { createdDatabase } = await restore();

  const db = await openDatabase(target, { maxConnections: 2 });
  try {
    if (target.kind === 'postgres') {
      // pg_restore brings no planner statistics; without them the first queries plan blind.
      clock.step('updating planner statistics');
      await db.query('analyze');
    }
    clock.step(`checking ${manifest.tables.length} tables`);
    const restored = await db.session((session) =>
      inReadOnlySnapshot(session, () => readTableChecksums(session, (done, total) => clock.update(`${done}/${total} tables`))),
    );
    const problems = checksumMismatches(manifest.tables, restored);
    if (problems.length > 0) {
      const more = problems.length > 3 ? `; and ${problems.length - 3} more` : '';
      throw new TenantryError(
        'validation_failed',
        `the restored database at ${db.location} does not match the backup: ${problems.slice(0, 3).join('; ')}${more}`,
      );
    }
    clock.step('validating');
    const report = await validateDatabase(db);
    return {
      engine: manifest.engine,
      manifest,
      createdDatabase,
      tables: restored.length,
      rows: restored.reduce((sum, table) => sum + table.rows, 0),
      report,
      elapsed: clock.elapsed(),
    };
  } finally {
    await db.close();
  }
}

/** Runs every engine-specific refusal now; the returned step does the writing. */
async function prepareRestore(
  archive: BackupArchive,
  target: RestoreTarget,
  clock: ProgressClock,
): Promise<() => Promise<{ createdDatabase: boolean }>> {
  if (target.kind === 'postgres') {
    const pgRestore = await checkPostgresRestore(archive.manifest, target.url);
    return () => restorePostgres(archive, target.url, pgRestore, clock);
  }
  checkPgliteRestore(target.dataDir);
  return () => restorePglite(archive, target.dataDir, clock);
}

/** `tenantry-backup-2025-01-31T02-00-00Z.tar`: sorts by time, and no colons for other file systems. */
export function defaultBackupFile(now: Date): string {
  return `tenantry-backup-${now.toISOString().slice(0, 19).replaceAll(':', '-')}Z.tar`;
}

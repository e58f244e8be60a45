/**
 * Bulk and operations, each against its bare PostgreSQL floor, alternating rounds:
 * - seedScale against a raw COPY of the very same rows (written to files once, loaded into a
 *   fresh migrated database in one transaction with session_replication_role = replica, as
 *   seedScale's bulk mode does) — at --bulk-tasks;
 * - `tenantry db backup` / `db restore` against `pg_dump -Fc` / `pg_restore` with the same
 *   options, on the main dataset (--tasks);
 * - `tenantry tenant export` / `import` of the main dataset's largest organization, rows/s.
 *
 *   npx tsx bench/bulk.ts [--bulk-tasks 100000] [--rounds 3] [--tasks 1000000] [--ops-rounds 1] [--keep]
 */
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { ensureDatabaseExists } from '../src/db/admin.js';
import { openDatabase } from '../src/db/connection.js';
import { quoteIdent } from '../src/db/roles.js';
import { seedScale } from '../src/seed/scale/seed-scale.js';
import { AUDIT_COLUMNS, TABLES } from '../src/seed/scale/tables.js';
import { type BenchFlags, isMain, parseFlags, runMain } from './support/args.js';
import { runTimed, tenantry } from './support/commands.js';
import { DATASET_SEED, type Dataset, databaseUrl, dropBenchDatabase, ensureDataset, freshDatabase, sizeForTasks } from './support/datasets.js';
import { log, printTable, writeResult } from './support/report.js';
import { median, pairedRatio, round } from './support/stats.js';
import { findTargets } from './support/targets.js';

type TableFile = { table: string; columns: readonly string[]; file: string };

export type SeedVsCopy = {
  tasks: number;
  organizations: number;
  rows: number;
  rounds: number;
  /** seedScale wall time: planning, generation, COPY, reference checks, commit, ANALYZE. */
  seedSeconds: number[];
  /** The part of it spent generating and streaming COPY, per seedScale's own table timings. */
  seedCopySeconds: number[];
  rawCopySeconds: number[];
  median: { seedRowsPerSecond: number; seedCopyRowsPerSecond: number; rawRowsPerSecond: number };
  /** Median of per-round seedScale seconds / raw COPY seconds. */
  seedOverRaw: number;
};

export type OperationPair = { operation: string; tenantry: number[]; bare: number[]; tenantryCommand: string; bareCommand: string; bytes?: { tenantry: number; bare: number }; tenantryOverBare: number };

export type TenantTransfer = { organization: string; rows: number; export: { seconds: number[]; rowsPerSecond: number }; import: { seconds: number[]; rowsPerSecond: number } };

export async function runBulk(main: Dataset, flags: Pick<BenchFlags, 'bulkTasks' | 'rounds' | 'opsRounds'>) {
  const work = mkdtempSync(join(tmpdir(), 'tenantry-bulk-'));
  try {
    const seeding = await compareSeedWithCopy(flags.bulkTasks, flags.rounds, work);
    printTable(`seedScale vs raw COPY (${seeding.rows.toLocaleString('en-US')} rows: ${seeding.tasks.toLocaleString('en-US')} tasks, ${seeding.rounds} rounds; medians)`, [
      ['loader', 'seconds', 'rows/s'],
      ['seedScale (whole run)', median(seeding.seedSeconds), seeding.median.seedRowsPerSecond],
      ['seedScale (COPY phase)', median(seeding.seedCopySeconds), seeding.median.seedCopyRowsPerSecond],
      ['raw COPY from files', median(seeding.rawCopySeconds), seeding.median.rawRowsPerSecond],
      ['seedScale / raw (time)', seeding.seedOverRaw, ''],
    ]);

    const operations = await compareBackupRestore(main, flags.opsRounds, work);
    printTable(`Backup and restore on ${main.name} (${flags.opsRounds} round(s); median seconds)`, [
      ['operation', 'tenantry', 'bare', 'tenantry / bare'],
      ...operations.map((op) => [op.operation, median(op.tenantry), median(op.bare), op.tenantryOverBare]),
    ]);

    const transfer = await measureTenantTransfer(main, flags.opsRounds, work);
    printTable(`Tenant export/import of ${transfer.organization} (${transfer.rows.toLocaleString('en-US')} rows; median)`, [
      ['step', 'seconds', 'rows/s'],
      ['tenant export', median(transfer.export.seconds), transfer.export.rowsPerSecond],
      ['tenant import', median(transfer.import.seconds), transfer.import.rowsPerSecond],
    ]);

    const file = await writeResult('bulk', { dataset: { name: main.name, ...main.size }, seeding, operations, transfer });
    log(`wrote ${file}`);
    return { seeding, operations, transfer };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

async function compareSeedWithCopy(tasks: number, rounds: number, work: string): Promise<SeedVsCopy> {
  const size = sizeForTasks(tasks);
  const seedName = 'tenantry_bench_bulk_seed';
  const rawName = 'tenantry_bench_bulk_raw';
  let files: TableFile[] | null = null;
  let rows = 0;
  const seedSeconds: number[] = [];
  const seedCopySeconds: number[] = [];
  const rawCopySeconds: number[] = [];
  try {
    for (let r = 0; r < rounds; r++) {
      const bySeed = async () => {
        const { db, url } = await freshDatabase(seedName);
        try {
          const started = performance.now();
          const summary = await seedScale(db, { organizations: size.organizations, tasks: size.tasks, seed: DATASET_SEED });
          seedSeconds.push((performance.now() - started) / 1000);
          seedCopySeconds.push(summary.tables.reduce((sum, table) => sum + table.ms, 0) / 1000);
          rows = summary.tables.reduce((sum, table) => sum + table.rows, 0);
          log(`  round ${r + 1}: seedScale ${rows.toLocaleString('en-US')} rows in ${(summary.elapsedMs / 1000).toFixed(1)} s`);
          files ??= await writeTableFiles(url, work);
        } finally {
          await db.close();
          await dropBenchDatabase(seedName);
        }
      };
      const byCopy = async (tableFiles: TableFile[]) => {
        const { db, url } = await freshDatabase(rawName);
        await db.close();
        try {
          const started = performance.now();
          await copyFiles(url, tableFiles);
          rawCopySeconds.push((performance.now() - started) / 1000);
          log(`  round ${r + 1}: raw COPY in ${((performance.now() - started) / 1000).toFixed(1)} s`);
        } finally {
          await dropBenchDatabase(rawName);
        }
      };
      // The first round must seed first (it writes the files); later rounds alternate.
      if (r % 2 === 0 || !files) {
        await bySeed();
        if (files) await byCopy(files);
      } else {
        await byCopy(files);
        await bySeed();
      }
    }
  } finally {
    await dropBenchDatabase(seedName);
    await dropBenchDatabase(rawName);
  }
  const perSecond = (seconds: number[]) => Math.round(rows / median(seconds));
  return {
    tasks: size.tasks,
    organizations: size.organizations,
    rows,
    rounds,
    seedSeconds,
    seedCopySeconds,
    rawCopySeconds,
    median: { seedRowsPerSecond: perSecond(seedSeconds), seedCopyRowsPerSecond: perSecond(seedCopySeconds), rawRowsPerSecond: perSecond(rawCopySeconds) },
    seedOverRaw: round(pairedRatio(seedSeconds, rawCopySeconds)),
  };
}

/** Every table seedScale loads, in its load order, with its columns. */
function seededTables(): { table: string; columns: readonly string[] }[] {
  return [...TABLES.map((spec) => ({ table: spec.table, columns: spec.columns })), { table: 'audit_logs', columns: AUDIT_COLUMNS }];
}

async function writeTableFiles(url: string, work: string): Promise<TableFile[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const files: TableFile[] = [];
    for (const { table, columns } of seededTables()) {
      const file = join(work, `${table}.copy`);
      const list = columns.map(quoteIdent).join(', ');
      await pipeline(client.query(copyTo(`copy ${quoteIdent(table)} (${list}) to stdout`)), createWriteStream(file));
      files.push({ table, columns, file });
    }
    return files;
  } finally {
    await client.end();
  }
}

async function copyFiles(url: string, files: TableFile[]): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('begin');
    await client.query('set local session_replication_role = replica');
    for (const { table, columns, file } of files) {
      const list = columns.map(quoteIdent).join(', ');
      await pipeline(createReadStream(file), client.query(copyFrom(`copy ${quoteIdent(table)} (${list}) from stdin`)));
    }
    await client.query('commit');
  } finally {
    await client.end();
  }
}

async function compareBackupRestore(main: Dataset, rounds: number, work: string): Promise<OperationPair[]> {
  const env = { DATABASE_URL: main.url, TENANTRY_DATA_DIR: join(work, 'data') };
  const timeoutSeconds = 3_600;
  const backup: OperationPair = { operation: 'backup', tenantry: [], bare: [], tenantryCommand: '', bareCommand: '', tenantryOverBare: Number.NaN };
  const restore: OperationPair = { operation: 'restore', tenantry: [], bare: [], tenantryCommand: '', bareCommand: '', tenantryOverBare: Number.NaN };
  const restoreName = 'tenantry_bench_restore';
  const restoreUrl = databaseUrl(restoreName);
  try {
    for (let r = 0; r < rounds; r++) {
      const tenantryFile = join(work, `tenantry-${r}.tar`);
      const bareFile = join(work, `bare-${r}.dump`);
      const ours = async () => {
        const run = await tenantry(['db', 'backup', '--out', tenantryFile], { env, timeoutSeconds });
        backup.tenantry.push(run.seconds);
        backup.tenantryCommand = `DATABASE_URL=… ${run.command.replace(work, '$TMP')}`;
        log(`  round ${r + 1}: tenantry db backup ${run.seconds.toFixed(1)} s`);
      };
      const bare = async () => {
        const run = await runTimed('pg_dump', ['--format=custom', '--compress=6', '--no-password', `--file=${bareFile}`, main.url], { timeoutSeconds });
        backup.bare.push(run.seconds);
        backup.bareCommand = run.command.replace(work, '$TMP');
        log(`  round ${r + 1}: pg_dump -Fc ${run.seconds.toFixed(1)} s`);
      };
      await inOrder(r, ours, bare);
      backup.bytes = { tenantry: statSync(tenantryFile).size, bare: statSync(bareFile).size };

      const oursBack = async () => {
        await dropBenchDatabase(restoreName);
        const run = await tenantry(['db', 'restore', tenantryFile, '--into', restoreUrl], { env, timeoutSeconds });
        restore.tenantry.push(run.seconds);
        restore.tenantryCommand = run.command.replace(work, '$TMP');
        log(`  round ${r + 1}: tenantry db restore ${run.seconds.toFixed(1)} s (checksums and validate included)`);
        await dropBenchDatabase(restoreName);
      };
      const bareBack = async () => {
        await dropBenchDatabase(restoreName);
        // Created untimed: it takes a fraction of a second, and tenantry's restore creates its own.
        await ensureDatabaseExists(restoreUrl);
        const run = await runTimed('pg_restore', ['--exit-on-error', '--single-transaction', '--no-password', `--dbname=${restoreUrl}`, bareFile], { timeoutSeconds });
        restore.bare.push(run.seconds);
        restore.bareCommand = run.command.replace(work, '$TMP');
        log(`  round ${r + 1}: pg_restore ${run.seconds.toFixed(1)} s`);
        await dropBenchDatabase(restoreName);
      };
      await inOrder(r, oursBack, bareBack);
      rmSync(tenantryFile, { force: true });
      rmSync(bareFile, { force: true });
    }
  } finally {
    await dropBenchDatabase(restoreName);
  }
  for (const pair of [backup, restore]) pair.tenantryOverBare = round(pairedRatio(pair.tenantry, pair.bare));
  return [backup, restore];
}

async function measureTenantTransfer(main: Dataset, rounds: number, work: string): Promise<TenantTransfer> {
  const admin = await openDatabase({ kind: 'postgres', url: main.url }, { maxConnections: 1 });
  const [largest] = await findTargets(admin, ['largest']).finally(() => admin.close());
  if (!largest) throw new Error('no organization to export');
  const env = { DATABASE_URL: main.url, TENANTRY_DATA_DIR: join(work, 'data'), TENANTRY_MASTER_KEY: randomBytes(32).toString('base64') };
  const importName = 'tenantry_bench_import';
  const exportSeconds: number[] = [];
  const importSeconds: number[] = [];
  let rows = 0;
  try {
    for (let r = 0; r < rounds; r++) {
      const file = join(work, `tenant-${r}.ndjson`);
      const exported = await tenantry(['tenant', 'export', largest.slug, '--out', file], { env, timeoutSeconds: 3_600 });
      rows = reportedRows(exported.output);
      exportSeconds.push(exported.seconds);
      log(`  round ${r + 1}: tenant export ${rows.toLocaleString('en-US')} rows in ${exported.seconds.toFixed(1)} s`);
      const target = await freshDatabase(importName);
      await target.db.close();
      const imported = await tenantry(['tenant', 'import', file, '--into', target.url], { env, timeoutSeconds: 3_600 });
      importSeconds.push(imported.seconds);
      log(`  round ${r + 1}: tenant import ${reportedRows(imported.output).toLocaleString('en-US')} rows in ${imported.seconds.toFixed(1)} s`);
      await dropBenchDatabase(importName);
      rmSync(file, { force: true });
    }
  } finally {
    await dropBenchDatabase(importName);
  }
  return {
    organization: `${largest.slug} (${largest.tasks.toLocaleString('en-US')} tasks)`,
    rows,
    export: { seconds: exportSeconds, rowsPerSecond: Math.round(rows / median(exportSeconds)) },
    import: { seconds: importSeconds, rowsPerSecond: Math.round(rows / median(importSeconds)) },
  };
}

/** "… 123456 rows in 12.34 s …" from the command's summary line. */
function reportedRows(output: string): number {
  const match = /: (\d+) rows in [\d.]+ s/.exec(output);
  if (!match?.[1]) throw new Error(`cannot find the row count in:\n${output.slice(-2_000)}`);
  return Number(match[1]);
}

/** A then B on even rounds, B then A on odd ones. */
async function inOrder(round: number, a: () => Promise<void>, b: () => Promise<void>): Promise<void> {
  if (round % 2 === 0) {
    await a();
    await b();
  } else {
    await b();
    await a();
  }
}

if (isMain(import.meta.url)) {
  runMain(async () => {
    const flags = parseFlags();
    const dataset = await ensureDataset(sizeForTasks(flags.tasks), log);
    try {
      await runBulk(dataset, flags);
    } finally {
      if (!flags.keep) await dropBenchDatabase(dataset.name);
    }
  });
}

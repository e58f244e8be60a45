import pg from 'pg';
import { dropDatabase, ensureDatabaseExists } from '../../src/db/admin.js';
import { type Database, openDatabase } from '../../src/db/connection.js';
import { migrate } from '../../src/db/migrator/runner.js';
import { type ScaleSummary, seedScale } from '../../src/seed/scale/seed-scale.js';

/**
 * Benchmark databases: `tenantry_bench_*` on the server BENCH_PG_URL names (default: the local
 * superuser), never a database the tests or anyone else use. A dataset is the scale seed at
 * one size; it is reused when a database of that name already holds exactly that seed, because
 * a million tasks take minutes to load. BENCH_DATASET_TAG (lower-case letters and digits) puts
 * a tag in the name (`tenantry_bench_<tag>_o…`), so that people sharing a server, each with
 * their own migrations, never migrate each other's kept dataset.
 */
export const SERVER_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DATASET_TAG = process.env.BENCH_DATASET_TAG ? `${process.env.BENCH_DATASET_TAG}_` : '';

/** The PRNG seed every dataset uses, so the same size gives the same rows. */
export const DATASET_SEED = 1;

export type DatasetSize = { organizations: number; tasks: number };

export type Dataset = {
  name: string;
  url: string;
  size: DatasetSize;
  /** How the data got there: loaded in this run (with the seed's summary), or found from an earlier run. */
  load: { reused: true } | { reused: false; summary: ScaleSummary };
};

/** A URL for database `name` on the benchmark server. */
export function databaseUrl(name: string): string {
  if (!/^tenantry_bench_[a-z0-9_]+$/.test(name)) throw new Error(`benchmark databases are named tenantry_bench_*, not ${name}`);
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

export function datasetName(size: DatasetSize): string {
  return `tenantry_bench_${DATASET_TAG}o${size.organizations}_t${size.tasks}`;
}

/** `--sizes 100000,1000000` → datasets of a thousand tasks per organization on average (at least one organization). */
export function sizeForTasks(tasks: number): DatasetSize {
  return { organizations: Math.max(1, Math.round(tasks / 1_000)), tasks };
}

/** Opens (loading first when needed) the dataset of this size. */
export async function ensureDataset(size: DatasetSize, log: (line: string) => void): Promise<Dataset> {
  const name = datasetName(size);
  const url = databaseUrl(name);
  if (await holdsSeed(url, size)) {
    log(`dataset ${name}: reusing (${size.tasks.toLocaleString('en-US')} tasks over ${size.organizations} organizations)`);
    await migrateKept(url);
    return { name, url, size, load: { reused: true } };
  }
  await dropDatabase(url);
  await ensureDatabaseExists(url);
  const db = await openDatabase({ kind: 'postgres', url }, { maxConnections: 2 });
  try {
    await migrate(db);
    log(`dataset ${name}: loading ${size.tasks.toLocaleString('en-US')} tasks over ${size.organizations} organizations with seedScale…`);
    let lastLine = performance.now();
    const summary = await seedScale(db, {
      organizations: size.organizations,
      tasks: size.tasks,
      seed: DATASET_SEED,
      onProgress: (event) => {
        if (event.step !== 'load' || performance.now() - lastLine < 15_000) return;
        lastLine = performance.now();
        log(`  ${event.table}: ${event.loaded.toLocaleString('en-US')} of ${event.total.toLocaleString('en-US')} rows`);
      },
    });
    log(`dataset ${name}: ${summary.totalRows.toLocaleString('en-US')} rows in ${(summary.elapsedMs / 1000).toFixed(1)} s (${summary.rowsPerSecond.toLocaleString('en-US')} rows/s)`);
    return { name, url, size, load: { reused: false, summary } };
  } finally {
    await db.close();
  }
}

/** A kept dataset gets the migrations written since it was loaded, so it measures today's schema. */
async function migrateKept(url: string): Promise<void> {
  const db = await openDatabase({ kind: 'postgres', url }, { maxConnections: 1 });
  try {
    await migrate(db);
  } finally {
    await db.close();
  }
}

/** Whether the database exists and holds exactly this size of seed (a half-finished load does not count). */
async function holdsSeed(url: string, size: DatasetSize): Promise<boolean> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
  } catch {
    return false;
  }
  try {
    const { rows } = await client.query<{ organizations: number; tasks: number }>(
      `select (select count(*)::int from organizations where slug like $1) as organizations,
              (select count(*)::int from tasks) as tasks`,
      [`scale-${DATASET_SEED}-%`],
    );
    const [found] = rows;
    return found?.organizations === size.organizations && found.tasks === size.tasks;
  } catch {
    return false;
  } finally {
    await client.end();
  }
}

/** A fresh, migrated, empty database (dropped first if a previous run left it behind). */
export async function freshDatabase(name: string): Promise<{ url: string; db: Database }> {
  const url = databaseUrl(name);
  await dropDatabase(url);
  await ensureDatabaseExists(url);
  const db = await openDatabase({ kind: 'postgres', url }, { maxConnections: 4 });
  await migrate(db);
  return { url, db };
}

export async function dropBenchDatabase(name: string): Promise<void> {
  await dropDatabase(databaseUrl(name));
}

/** Every benchmark database on the server, for `--drop` and the end of a full run. */
export async function listBenchDatabases(): Promise<string[]> {
  const client = new pg.Client({ connectionString: SERVER_URL });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>(`select datname from pg_database where datname like 'tenantry\\_bench\\_%' order by 1`);
    return rows.map((row) => row.datname);
  } finally {
    await client.end();
  }
}

/** Size on disk, for the report. */
export async function databaseBytes(url: string, name: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ bytes: string }>('select pg_database_size($1::name)::text as bytes', [name]);
    return Number(rows[0]?.bytes ?? 0);
  } finally {
    await client.end();
  }
}

import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import pg from 'pg';
import type { AppConfig } from '../config.js';
import { TenantryError, sqlState } from '../errors.js';
import { PreparingClient } from './prepared-statements.js';
/**
 * The typed query builder, the same type on both engines. Queries name their tables from
 * `db/schema` directly, so the builder needs no schema registry of its own.
 */
export type Orm = PgDatabase<PgQueryResultHKT>;

/** One connection held for the length of a callback, for work that needs session state. */
export interface SqlSession {
  /** A parameterized statement; rows come back as plain objects. */
  query<Row = Record<string, unknown>>(text: string, params?: unknown[]): Promise<Row[]>;
  /** A script of several statements with no parameters (a migration file). */
  exec(script: string): Promise<void>;
}

export interface Database {
  readonly kind: 'postgres' | 'pglite';
  /** Where it lives, for messages: a URL without its password, or a folder. */
  readonly location: string;
  readonly orm: Orm;
  /** Runs `work` on one dedicated connection: advisory locks, `SET ROLE` and `BEGIN` stay on it. */
  session<T>(work: (session: SqlSession) => Promise<T>): Promise<T>;
  /** One statement on any connection. */
  query<Row = Record<string, unknown>>(text: string, params?: unknown[]): Promise<Row[]>;
  close(): Promise<void>;
}

export type OpenOptions = {
  /** Pool size on PostgreSQL; ignored by PGlite, which has one connection. */
  maxConnections?: number;
};

/** Opens the database the configuration names: PostgreSQL with a URL, PGlite otherwise. */
export async function openDatabase(
  config: AppConfig['database'],
  options: OpenOptions = {},
): Promise<Database> {
  return config.kind === 'postgres'
    ? openPostgres(config.url, { ...options, preparedStatements: config.preparedStatements ?? true })
    : openPglite(config.dataDir);
}

async function openPostgres(url: string, options: OpenOptions & { preparedStatements: boolean }): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.maxConnections ?? 10,
    connectionTimeoutMillis: 10_000,
    // pg's PoolConfig types its Client option as a bare constructor; PreparingClient is a pg.Client.
    ...(options.preparedStatements ? { Client: PreparingClient as unknown as typeof pg.Client } : {}),
  });
  // An idle client that loses its server must not crash the process; the next checkout reconnects.
  pool.on('error', () => undefined);
  // A checked-out client whose server goes away emits 'error' too; unheard, Node would exit.
  // The query in flight still fails normally and the pool discards the client.
  pool.on('connect', (client) => {
    client.on('error', () => undefined);
  });
  const location = redactUrl(url);
  try {
    const probe = await pool.connect();
    probe.release();
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw connectionError(error, location);
  }

  const session = async <T>(work: (s: SqlSession) => Promise<T>): Promise<T> => {
    const client = await pool.connect();
    let broken = false;
    try {
      return await work({
        query: async <Row>(text: string, params?: unknown[]) =>
          (await client.query(text, params)).rows as Row[],
        exec: async (script: string) => {
          await client.query(script);
        },
      });
    } catch (error) {
      broken = true;
      throw error;
    } finally {
      // A session that failed may hold a role or an open transaction: discard it, never reuse it.
      client.release(broken);
    }
  };

  return {
    kind: 'postgres',
    location,
    orm: drizzlePg(pool),
    session,
    query: async <Row>(text: string, params?: unknown[]) =>
      (await pool.query(text, params)).rows as Row[],
    close: () => pool.end(),
  };
}

/** `memory://` keeps everything in memory (tests); any other value is a folder on disk. */
async function openPglite(dataDir: string): Promise<Database> {
  const inMemory = dataDir.startsWith('memory://');
  if (!inMemory) mkdirSync(dataDir, { recursive: true });
  const client = await PGlite.create(inMemory ? undefined : dataDir);
  // PGlite is a single connection: sessions take turns so one's BEGIN never wraps another's work.
  let queue: Promise<unknown> = Promise.resolve();
  const session = <T>(work: (s: SqlSession) => Promise<T>): Promise<T> => {
    const turn = queue.then(() =>
      work({
        query: async <Row>(text: string, params?: unknown[]) =>
          (await client.query<Row>(text, params)).rows,
        exec: async (script: string) => {
          await client.exec(script);
        },
      }),
    );
    queue = turn.catch(() => undefined);
    return turn;
  };

  return {
    kind: 'pglite',
    location: dataDir,
    orm: drizzlePglite(client),
    session,
    query: async <Row>(text: string, params?: unknown[]) =>
      (await client.query<Row>(text, params)).rows,
    close: () => client.close(),
  };
}

/** postgres://user:secret@host/db → postgres://user@host/db, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.password = '';
    return parsed.toString();
  } catch {
    return '(unparseable DATABASE_URL)';
  }
}

function connectionError(error: unknown, location: string): TenantryError {
  const state = sqlState(error);
  const reason = error instanceof Error ? error.message : String(error);
  if (state === '3D000') {
    // The driver's error stays the cause, so callers can still tell a missing database (3D000) apart.
    return Object.assign(new TenantryError('database_unreachable', `database does not exist at ${location} (run: tenantry db init)`), { cause: error });
  }
  if (state === '28P01' || state === '28000') {
    return new TenantryError('database_permission', `PostgreSQL refused the login at ${location}: ${reason}`);
  }
  return new TenantryError('database_unreachable', `cannot reach PostgreSQL at ${location}: ${reason}`);
}

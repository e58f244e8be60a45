import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { btree_gin } from '@electric-sql/pglite/contrib/btree_gin';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import pg from 'pg';
import type { AppConfig } from '../config.js';
import { TenantryError, sqlState } from '../errors.js';
import { type PipelineResult, type PipelineStatement, RAW_TEXT_TYPES, isStalePlan, sendPipeline } from './pipeline.js';
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
  /**
   * The statements as one transaction in one round trip (PostgreSQL: pipelined, see
   * db/pipeline.ts; PGlite: one after another, where a round trip costs nothing). Rows come
   * back as arrays, dates and timestamps as text, for `db/statement.ts` to decode. A failure
   * rolls everything back and rejects with the database's error.
   */
  pipeline(statements: PipelineStatement[]): Promise<PipelineResult[]>;
  /** One statement on any connection. */
  query<Row = Record<string, unknown>>(text: string, params?: unknown[]): Promise<Row[]>;
  /**
   * LISTENs on `channel` for the life of the returned listener. On PostgreSQL it holds one
   * connection of its own outside the pool and reconnects (with backoff) after losing it,
   * calling `reconnected` once it listens again, since anything sent meanwhile was missed.
   */
  listen(channel: string, handlers: ListenHandlers): Listener;
  close(): Promise<void>;
}

export type ListenHandlers = { message(payload: string): void; reconnected?(): void };
export type Listener = {
  /** Settles once the first LISTEN is in place: a NOTIFY committed after that is delivered. */
  ready: Promise<void>;
  close(): Promise<void>;
};

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

  const pipeline = (statements: PipelineStatement[]): Promise<PipelineResult[]> =>
    pipelineOnce(statements).catch((error: unknown) => {
      // A table a statement reads changed its columns since the connection prepared it: nothing
      // ran, and the failed pipeline forgot its statements there, so once more parses them afresh.
      if (isStalePlan(error)) return pipelineOnce(statements);
      throw error;
    });

  // Callbacks inside one promise: the checkout, the pipeline and the release would otherwise
  // settle a promise each, and every promise runs Node's promise hooks (Better Auth keeps an
  // AsyncLocalStorage), on the path of every one-trip request.
  const pipelineOnce = (statements: PipelineStatement[]): Promise<PipelineResult[]> =>
    new Promise((resolve, reject) => {
      pool.connect((connectError, client, release) => {
        if (connectError || !client) {
          reject(connectError ?? new Error('no connection from the pool'));
          return;
        }
        const settle = (error: Error | null, results: PipelineResult[]) => {
          if (!error) {
            release();
            resolve(results.slice(1, -1));
            return;
          }
          // The Sync left an explicit transaction aborted (or the connection is gone): end it
          // before the connection goes back, or drop the connection.
          client.query('rollback', (rollbackError: Error | null) => {
            release(rollbackError ?? undefined);
            reject(error);
          });
        };
        try {
          // BEGIN and COMMIT are explicit so that SET LOCAL runs in a transaction block (in the
          // protocol's implicit transaction it works but warns on every call).
          sendPipeline(client, [BEGIN, ...statements, COMMIT], options.preparedStatements, settle);
        } catch (error) {
          // Nothing was sent that we know of: the connection is not trusted again.
          const failure = error instanceof Error ? error : new Error(String(error));
          release(failure);
          reject(failure);
        }
      });
    });

  return {
    kind: 'postgres',
    location,
    orm: drizzlePg(pool),
    session,
    pipeline,
    query: async <Row>(text: string, params?: unknown[]) =>
      (await pool.query(text, params)).rows as Row[],
    listen: (channel, handlers) => listenPostgres(url, channel, handlers),
    close: () => pool.end(),
  };
}

/**
 * The extensions migrations create, loaded into every PGlite that opens a Tenantry database
 * (a compiled module, where PostgreSQL finds them installed): btree_gin backs the
 * per-project search index (migrations/0018).
 */
export const PGLITE_EXTENSIONS = { btree_gin };

const RECONNECT_DELAY_MS = { first: 100, max: 5_000 };

/**
 * A dedicated LISTEN connection to PostgreSQL at `url`: a pooled one would be handed to other
 * work and lose it. Database.listen uses the pool's URL; behind a transaction-mode pooler, pass
 * the direct one (DATABASE_DIRECT_URL) instead.
 */
export function listenPostgres(url: string, channel: string, handlers: ListenHandlers): Listener {
  let current: pg.Client | null = null;
  let stopped = false;
  let connectedOnce = false;
  let delay = RECONNECT_DELAY_MS.first;
  let retry: NodeJS.Timeout | undefined;
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });

  const scheduleReconnect = () => {
    if (stopped) return;
    retry = setTimeout(() => void connect(), delay);
    retry.unref();
    delay = Math.min(delay * 2, RECONNECT_DELAY_MS.max);
  };
  const connect = async () => {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
    // Losing the server surfaces as 'error' then 'end'; the reconnect hangs off 'end' alone.
    client.on('error', () => undefined);
    client.on('notification', (message) => {
      if (message.channel === channel && message.payload !== undefined) handlers.message(message.payload);
    });
    client.on('end', () => {
      if (current !== client) return;
      current = null;
      scheduleReconnect();
    });
    try {
      await client.connect();
      await client.query(`listen ${client.escapeIdentifier(channel)}`);
    } catch {
      await client.end().catch(() => undefined);
      scheduleReconnect();
      return;
    }
    if (stopped) {
      await client.end().catch(() => undefined);
      return;
    }
    current = client;
    delay = RECONNECT_DELAY_MS.first;
    if (connectedOnce) handlers.reconnected?.();
    connectedOnce = true;
    markReady();
  };
  void connect();

  return {
    ready,
    close: async () => {
      stopped = true;
      clearTimeout(retry);
      const client = current;
      current = null;
      markReady();
      await client?.end().catch(() => undefined);
    },
  };
}

/** `memory://` keeps everything in memory (tests); any other value is a folder on disk. */
async function openPglite(dataDir: string): Promise<Database> {
  const inMemory = dataDir.startsWith('memory://');
  if (!inMemory) mkdirSync(dataDir, { recursive: true });
  const client = await PGlite.create(inMemory ? undefined : dataDir, { extensions: PGLITE_EXTENSIONS });
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

  const parsers = Object.fromEntries([...RAW_TEXT_TYPES].map((oid) => [oid, (value: string) => value]));
  const pipeline = (statements: PipelineStatement[]): Promise<PipelineResult[]> =>
    client.transaction(async (tx) => {
      const results: PipelineResult[] = [];
      for (const { text, values } of statements) {
        const result = await tx.query<unknown[]>(text, values, { rowMode: 'array', parsers });
        results.push({ rows: result.rows, rowCount: result.affectedRows ?? null });
      }
      return results;
    });

  return {
    kind: 'pglite',
    location: dataDir,
    orm: drizzlePglite(client),
    session,
    pipeline,
    query: async <Row>(text: string, params?: unknown[]) =>
      (await client.query<Row>(text, params)).rows,
    // NOTIFY and LISTEN meet inside this one process, which is all PGlite serves. The LISTEN
    // takes a session turn so that it never lands inside another session's open transaction.
    listen: (channel, handlers) => {
      let stop: Promise<() => Promise<void>> | null = session(() => client.listen(channel, (payload) => handlers.message(payload)));
      return {
        ready: stop.then(() => undefined),
        close: async () => {
          const unlisten = stop;
          stop = null;
          if (unlisten && !client.closed) await (await unlisten)();
        },
      };
    },
    close: () => client.close(),
  };
}

const BEGIN: PipelineStatement = { text: 'begin', values: [] };
const COMMIT: PipelineStatement = { text: 'commit', values: [] };

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

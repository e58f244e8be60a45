import { existsSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { type ThrowawayCluster, postgresBinDir, startThrowawayCluster } from './throwaway-cluster.js';

/**
 * A throwaway Citus cluster: a coordinator and two workers, each its own private PostgreSQL
 * (see throwaway-cluster.ts) on a free loopback port in a temporary folder, removed by
 * `destroy()`. The shared server on 5432 is never touched.
 */
export type CitusCluster = {
  coordinator: ThrowawayCluster;
  workers: ThrowawayCluster[];
  /**
   * Creates `database` on every node with the citus extension and registers the workers on the
   * coordinator; returns the coordinator's URL for it (what DATABASE_URL points at).
   */
  createDatabase(database: string): Promise<string>;
  /** Every node's URL for `database`, coordinator first. */
  nodeUrls(database: string): string[];
  destroy(): Promise<void>;
};

export type CitusClusterOptions = {
  /** Shards per distributed table; Citus's default is 32, tests use fewer to stay quick. */
  shardCount?: number;
};

/** Why a Citus cluster cannot start here (no PostgreSQL binaries, or no citus.so), or null. */
export function citusClusterUnavailable(): string | null {
  const binDir = postgresBinDir();
  if (!binDir) return 'no initdb/pg_ctl found (set PG_BIN)';
  const libDir = join(binDir, '..', 'lib');
  if (!existsSync(join(libDir, 'citus.so'))) {
    return `citus is not installed in ${libDir}; run bash ../shared/vendor/citus/build.sh`;
  }
  return null;
}

/**
 * Starts the three nodes in parallel; every one preloads citus.
 *
 * @example
 * const cluster = await startCitusCluster();
 * const url = await cluster.createDatabase('tenantry');
 * await cluster.destroy();
 */
export async function startCitusCluster(options: CitusClusterOptions = {}): Promise<CitusCluster> {
  const settings = {
    shared_preload_libraries: 'citus',
    // Citus keeps connections between nodes: the default 60 of a throwaway cluster runs out.
    max_connections: '150',
    'citus.shard_count': String(options.shardCount ?? 4),
    // One copy of each shard: a shard move must really move the only copy.
    'citus.shard_replication_factor': '1',
    // Shard moves use logical replication.
    wal_level: 'logical',
  };
  const started = await Promise.allSettled([0, 1, 2].map(() => startThrowawayCluster({ settings })));
  const nodes = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const failed = started.find((result) => result.status === 'rejected');
  if (failed) {
    await Promise.all(nodes.map((node) => node.destroy()));
    throw failed.reason;
  }
  const [coordinator, ...workers] = nodes as [ThrowawayCluster, ...ThrowawayCluster[]];

  const createDatabase = async (database: string): Promise<string> => {
    const [coordinatorUrl, ...workerUrls] = nodes.map((node) => node.urlFor(database));
    if (!coordinatorUrl) throw new Error('a cluster has a coordinator');
    await createCitusDatabase(coordinatorUrl, workerUrls);
    return coordinatorUrl;
  };

  return {
    coordinator,
    workers,
    createDatabase,
    nodeUrls: (database) => nodes.map((node) => node.urlFor(database)),
    destroy: async () => {
      await Promise.all(nodes.map((node) => node.destroy()));
    },
  };
}

/**
 * Creates the database each URL names (coordinator first, then the workers), with the citus
 * extension on every node, and registers the workers with the coordinator.
 */
export async function createCitusDatabase(coordinatorUrl: string, workerUrls: string[]): Promise<void> {
  for (const url of [coordinatorUrl, ...workerUrls]) {
    const database = new URL(url);
    const name = decodeURIComponent(database.pathname.slice(1));
    database.pathname = '/postgres';
    await runSql(database.toString(), [`create database ${quote(name)}`]);
    await runSql(url, ['create extension citus']);
  }
  const host = (url: string) => new URL(url);
  await runSql(coordinatorUrl, [
    `select citus_set_coordinator_host('${host(coordinatorUrl).hostname}', ${Number(host(coordinatorUrl).port)})`,
    ...workerUrls.map((url) => `select citus_add_node('${host(url).hostname}', ${Number(host(url).port)})`),
  ]);
}

/** Drops the database each URL names, on every node. */
export async function dropCitusDatabase(urls: string[]): Promise<void> {
  for (const url of urls) {
    const database = new URL(url);
    const name = decodeURIComponent(database.pathname.slice(1));
    database.pathname = '/postgres';
    await runSql(database.toString(), [`drop database if exists ${quote(name)} with (force)`]);
  }
}

/** Runs statements one after another on a connection of its own, as postgres. */
export async function runSql(url: string, statements: string[]): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const statement of statements) await client.query(statement);
  } finally {
    await client.end();
  }
}

function quote(identifier: string): string {
  return `"${identifier.replaceAll('"', '""')}"`;
}

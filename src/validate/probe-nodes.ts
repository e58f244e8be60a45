import type { SqlSession } from '../db/connection.js';

/**
 * On a Citus cluster whose organizations table is distributed: for every node that holds some of
 * `candidates`, the first of them (by their order) stored there, keyed by `host:port`. Empty
 * without Citus, so the probe is the same on PostgreSQL and PGlite.
 */
export async function organizationsPerNode(session: SqlSession, candidates: string[]): Promise<Map<string, string>> {
  const [distributed] = await session.query<{ yes: boolean }>(
    `select to_regclass('pg_catalog.pg_dist_partition') is not null
        and to_regclass('public.organizations') is not null as yes`,
  );
  if (!distributed?.yes || candidates.length === 0) return new Map();
  const [hashed] = await session.query<{ yes: boolean }>(
    "select exists (select from pg_dist_partition where logicalrelid = 'public.organizations'::regclass and partmethod = 'h') as yes",
  );
  if (!hashed?.yes) return new Map();
  const rows = await session.query<{ node: string; organization_id: string }>(
    `select distinct on (p.nodename, p.nodeport) p.nodename || ':' || p.nodeport as node, c.id as organization_id
       from unnest($1::text[]) with ordinality as c(id, ord)
       join pg_dist_shard_placement p
         on p.shardid = get_shard_id_for_distribution_column('public.organizations', c.id::uuid)
      order by p.nodename, p.nodeport, c.ord`,
    [candidates],
  );
  return new Map(rows.map((row) => [row.node, row.organization_id]));
}

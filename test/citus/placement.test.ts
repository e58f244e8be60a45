import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateMasterKey } from '../../src/crypto/envelope.js';
import { rowsOf } from '../../src/db/rows.js';
import { withTenant } from '../../src/db/tenant-context.js';
import { seedDemo } from '../../src/seed/demo.js';
import { type TestDatabase, createTestDatabase } from '../support/database.js';

/**
 * Where a tenant's rows live on the suite's cluster (test/citus/global-setup.ts), how a query of
 * one tenant is routed, and a tenant moved to the other worker by Citus's own shard moves while
 * its requests keep running.
 */
describe('a tenant on a Citus cluster', () => {
  let test: TestDatabase;
  let tenant: string;
  let owner: string;
  let project: string;

  beforeAll(async () => {
    test = await createTestDatabase();
    await seedDemo(test.db, { production: false, masterKey: generateMasterKey() });
    const [row] = await test.db.query<{ organization_id: string; owner_id: string; id: string }>(
      `select p.organization_id::text, p.owner_id::text, p.id::text from projects p
        where p.archived_at is null and p.visibility = 'organization'
        order by (select count(*) from tasks t where t.organization_id = p.organization_id) desc, p.id limit 1`,
    );
    if (!row) throw new Error('the demo seed has projects');
    [tenant, owner, project] = [row.organization_id, row.owner_id, row.id];
  });

  afterAll(async () => {
    await test?.destroy();
  });

  it("keeps all of a tenant's rows on one worker, every co-located table's shard on the same node", async () => {
    const nodes = await tenantNodes(test, tenant);
    expect(nodes.size, JSON.stringify([...nodes])).toBe(1);
    const [node] = [...nodes];
    const [coordinator] = await test.db.query<{ port: number }>('select nodeport as port from pg_dist_node where groupid = 0');
    expect(node).not.toBe(coordinator?.port);
    // The rows are really there: the worker's own shard of tasks holds every task of the tenant.
    const expected = await countTasks(test, tenant);
    expect(expected).toBeGreaterThan(0);
    expect(await countOnWorker(test, tenant, node ?? 0)).toBe(expected);
  });

  it('routes a query filtered by tenant to one shard, where an unfiltered one touches them all', async () => {
    const tasksOf = (filter: string) =>
      withTenant(test.db, { organizationId: tenant, userId: owner }, async (tx) =>
        taskCount(rowsOf<{ 'QUERY PLAN': string }>(await tx.execute(sql.raw(`explain select * from tasks ${filter}`)))),
      );
    expect(await tasksOf(`where organization_id = '${tenant}'`)).toBe(1);
    const [shards] = await test.db.query<{ n: number }>(`select count(*)::int as n from pg_dist_shard where logicalrelid = 'tasks'::regclass`);
    expect(await tasksOf('')).toBe(shards?.n);
  });

  it('moves the tenant to the other worker while its requests keep running: no acknowledged write is lost', async () => {
    const before = await countTasks(test, tenant);
    const [from] = [...(await tenantNodes(test, tenant))];
    const [to] = await test.db.query<{ host: string; port: number }>(
      "select nodename as host, nodeport as port from pg_dist_node where groupid <> 0 and nodeport <> $1 and noderole = 'primary'",
      [from],
    );
    if (!from || !to) throw new Error('the cluster has two workers');

    // Requests: four clients writing a task and reading it back, as the API does, through the
    // move and until each has finished one more request after it.
    let moved = false;
    let stop = false;
    const written: string[] = [];
    const failures: string[] = [];
    const finished = { duringMove: 0, afterMove: 0 };
    let longestMs = 0;
    const client = async (name: number) => {
      let afterMove = 0;
      for (let i = 0; !stop || afterMove === 0; i++) {
        const startedAfterMove = moved;
        const started = performance.now();
        try {
          const id = await withTenant(test.db, { organizationId: tenant, userId: owner }, async (tx) => {
            const [row] = rowsOf<{ id: string }>(
              await tx.execute(sql`insert into tasks (organization_id, project_id, title)
                                   values (${tenant}, ${project}, ${`moving ${name}.${i}`}) returning id::text`),
            );
            const [back] = rowsOf<{ n: number }>(
              await tx.execute(sql`select count(*)::int as n from tasks where organization_id = ${tenant} and id = ${row?.id}`),
            );
            if (back?.n !== 1) throw new Error('a task written is not read back in its own transaction');
            return row?.id ?? '';
          });
          written.push(id);
        } catch (error) {
          const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : '';
          failures.push(`${error instanceof Error ? error.message.split('\n')[0] : String(error)}: ${cause}`);
        }
        longestMs = Math.max(longestMs, performance.now() - started);
        if (startedAfterMove) afterMove++;
        if (moved) finished.afterMove++;
        else finished.duringMove++;
      }
    };
    const clients = [0, 1, 2, 3].map(client);

    const session = new pg.Client({ connectionString: test.url ?? '' });
    await session.connect();
    try {
      // A move must never hang CI: block_writes needs no logical replication, and a timeout ends it.
      await session.query("set statement_timeout = '120s'");
      const [isolated] = (
        await session.query<{ shard: string }>(
          `select isolate_tenant_to_new_shard('organizations', $1::uuid, 'CASCADE', shard_transfer_mode => 'block_writes')::text as shard`,
          [tenant],
        )
      ).rows;
      const [fromHost] = (await session.query<{ host: string }>('select nodename as host from pg_dist_node where nodeport = $1', [from])).rows;
      await session.query(
        `select citus_move_shard_placement($1::bigint, $2, $3, $4, $5, shard_transfer_mode => 'block_writes')`,
        [isolated?.shard, fromHost?.host, from, to.host, to.port],
      );
    } finally {
      await session.end();
      moved = true;
      stop = true;
      await Promise.all(clients);
    }

    // Known limits (README, Outgrowing one machine): now and then a write that waited out the move
    // fails in a trigger's query on the moved shards, on the audit row's policy ("new row violates
    // row-level security policy for table audit_logs_…") or on the task number ("duplicate key …
    // tasks_organization_id_project_id_number_key_…"). It fails whole, so it loses nothing
    // acknowledged; counted here, not yet refused. Any other failure fails the test.
    const requests = finished.duringMove + finished.afterMove;
    console.log(
      `shard move: ${requests} requests (${finished.duringMove} finished while the tenant was isolated and moved, ` +
        `${finished.afterMove} after), longest ${Math.round(longestMs)} ms, ${failures.length} failed${failures.length ? `: ${failures.join('; ')}` : ''}`,
    );
    const known = /row-level security policy for table "audit_logs_\d+"|unique constraint "tasks_organization_id_project_id_number_key_\d+"/;
    for (const failure of failures) expect(failure).toMatch(known);
    expect(finished.duringMove).toBeGreaterThan(0);
    expect(failures.length).toBeLessThan(requests);
    expect([...(await tenantNodes(test, tenant))]).toEqual([to.port]);
    // Nothing lost: every task the requests wrote is there once, besides the ones from before.
    const [found] = await test.db.query<{ n: number }>(
      'select count(*)::int as n from tasks where organization_id = $1 and id = any($2::uuid[])',
      [tenant, written],
    );
    expect(found?.n).toBe(written.length);
    expect(await countTasks(test, tenant)).toBe(before + written.length);
    expect(await countOnWorker(test, tenant, to.port)).toBe(before + written.length);
  });
});

/** The ports of the nodes holding the tenant's shard of each distributed table. */
async function tenantNodes(test: TestDatabase, tenant: string): Promise<Set<number>> {
  const rows = await test.db.query<{ port: number }>(
    `select distinct p.nodeport as port
       from pg_dist_partition d
       join pg_dist_placement pl on pl.shardid = get_shard_id_for_distribution_column(d.logicalrelid, $1::uuid)
       join pg_dist_node p on p.groupid = pl.groupid
      where d.partmethod = 'h'`,
    [tenant],
  );
  return new Set(rows.map((row) => row.port));
}

async function countTasks(test: TestDatabase, tenant: string): Promise<number> {
  const [row] = await test.db.query<{ n: number }>('select count(*)::int as n from tasks where organization_id = $1', [tenant]);
  return row?.n ?? 0;
}

/** The tenant's tasks in the shard table on the worker at `port`, read there directly. */
async function countOnWorker(test: TestDatabase, tenant: string, port: number): Promise<number> {
  const [shard] = await test.db.query<{ name: string }>(
    "select 'public.tasks_' || get_shard_id_for_distribution_column('tasks', $1::uuid) as name",
    [tenant],
  );
  const url = Object.assign(new URL(test.url ?? ''), { port: String(port) }).toString();
  const worker = new pg.Client({ connectionString: url });
  await worker.connect();
  try {
    const result = await worker.query<{ n: number }>(`select count(*)::int as n from ${shard?.name} where organization_id = $1`, [tenant]);
    return result.rows[0]?.n ?? 0;
  } finally {
    await worker.end();
  }
}

/** Citus's "Task Count: n" in an EXPLAIN: the shards a query is sent to. */
function taskCount(plan: { 'QUERY PLAN': string }[]): number {
  const line = plan.map((row) => row['QUERY PLAN']).find((text) => /Task Count:/.test(text));
  return Number(line?.match(/Task Count: (\d+)/)?.[1] ?? Number.NaN);
}

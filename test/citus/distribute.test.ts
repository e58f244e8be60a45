import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { generateKeyBetween } from 'fractional-indexing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_REFERENCE_LIMITS, checkCitusReadiness, distribute } from '../../src/citus/index.js';
import { generateMasterKey } from '../../src/crypto/envelope.js';
import { type Database, openDatabase } from '../../src/db/connection.js';
import { migrate } from '../../src/db/migrator/runner.js';
import { ROLES } from '../../src/db/roles.js';
import { withTenant } from '../../src/db/tenant-context.js';
import { createCommentInOneTrip } from '../../src/features/comments/create-in-one-trip.js';
import { createTaskInOneTrip, createTasksInOneTrip } from '../../src/features/tasks/create-in-one-trip.js';
import { deleteTaskInOneTrip } from '../../src/features/tasks/delete-in-one-trip.js';
import { moveTaskInOneTrip } from '../../src/features/tasks/move-in-one-trip.js';
import { updateTaskInOneTrip } from '../../src/features/tasks/update-in-one-trip.js';
import { dispatchWebhookEvents, startWebhookDispatcher } from '../../src/features/webhooks/dispatcher.js';
import { seedDemo } from '../../src/seed/demo.js';
import { validateDatabase } from '../../src/validate/index.js';
import { createCitusDatabase, dropCitusDatabase, runSql } from '../support/citus-cluster.js';

/** A database of its own on the suite's cluster (test/citus/global-setup.ts), coordinator first. */
function clusterUrls(): string[] {
  const coordinator = process.env.TEST_DATABASE_URL;
  const workers = process.env.TEST_CITUS_WORKERS?.split(',') ?? [];
  if (!coordinator || workers.length === 0) throw new Error('run with npm run test:citus, which starts the cluster');
  const name = `/tenantry_citus_${randomBytes(5).toString('hex')}`;
  return [coordinator, ...workers].map((url) => Object.assign(new URL(url), { pathname: name }).toString());
}

describe('a single-node database with data, distributed by tenantry db distribute', () => {
  const urls = clusterUrls();
  let db: Database;
  let organizations: string[];

  beforeAll(async () => {
    const [coordinator, ...workers] = urls as [string, ...string[]];
    await createCitusDatabase(coordinator, workers);
    db = await openDatabase({ kind: 'postgres', url: coordinator });
    // Everything below runs as it would on one PostgreSQL: Citus only adds nodes so far.
    await migrate(db);
    await seedDemo(db, { production: false, masterKey: generateMasterKey() });
    organizations = (await db.query<{ id: string }>('select id::text from organizations order by slug')).map((row) => row.id);
  });

  afterAll(async () => {
    await db?.close();
    await dropCitusDatabase(urls);
  });

  /** The first organization, one of its owners and its first project: who makes a task in one round trip. */
  async function ownerAndProject(): Promise<{ organizationId: string; row: { user_id: string; project_id: string } }> {
    const [organizationId] = organizations;
    if (!organizationId) throw new Error('the demo seed has organizations');
    const [row] = await db.query<{ user_id: string; project_id: string }>(
      `select m.user_id::text, p.id::text as project_id from members m join projects p on p.organization_id = m.organization_id and p.deleted_at is null
        where m.organization_id = $1 and m.role = 'owner' order by p.key limit 1`,
      [organizationId],
    );
    if (!row) throw new Error('the demo seed has an owner and a project');
    return { organizationId, row };
  }

  it('gives every role a login the workers accept (they were created before Citus knew them)', async () => {
    for (const role of Object.values(ROLES)) {
      const reached = await db.session(async (session) => {
        await session.query(`set role ${role}`);
        try {
          return await session.query<{ success: boolean; result: string }>(
            'select success, result from run_command_on_workers($$select current_user$$)',
          );
        } finally {
          await session.query('reset role');
        }
      });
      expect(reached, role).toEqual([
        { success: true, result: role },
        { success: true, result: role },
      ]);
    }
  });

  it('distributes every table with no manual step, keeping every row and leaving no stale copy', async () => {
    const before = await rowCounts(db);
    const outcome = await distribute(db, { dryRun: false, limits: DEFAULT_REFERENCE_LIMITS });
    expect(outcome.status).toBe('distributed');
    expect(await rowCounts(db)).toEqual(before);

    // Every application table is a Citus table: tenant tables hash-distributed and co-located
    // with organizations, platform tables reference tables; only the migrator's history stays.
    const placement = await db.query<{ name: string; method: string | null; column: string | null; colocated: boolean }>(
      `select c.relname::text as name, p.partmethod::text as method,
              case when p.partmethod = 'h' then column_to_column_name(p.logicalrelid, p.partkey) end as column,
              p.colocationid = (select colocationid from pg_dist_partition where logicalrelid = 'organizations'::regclass) as colocated
         from pg_class c
         left join pg_dist_partition p on p.logicalrelid = c.oid
        where c.relnamespace = 'public'::regnamespace and c.relkind = 'r'
        order by 1`,
    );
    for (const table of placement) {
      if (table.name === 'tenantry_migrations') expect(table.method, table.name).toBeNull();
      else if (table.column !== null) expect(table, table.name).toMatchObject({ method: 'h', colocated: true });
      else expect(table.method, table.name).toBe('n');
    }
    expect(placement.find((t) => t.name === 'organizations')).toMatchObject({ method: 'h', column: 'id' });
    expect(placement.find((t) => t.name === 'tasks')).toMatchObject({ method: 'h', column: 'organization_id' });
    expect(placement.find((t) => t.name === 'users')).toMatchObject({ method: 'n' });
    // Citus leaves the rows it copied in the coordinator's own table; distribute truncated them.
    const [stale] = await db.query<{ bytes: number }>(
      'select coalesce(sum(pg_relation_size(logicalrelid)), 0)::int as bytes from pg_dist_partition',
    );
    expect(stale?.bytes).toBe(0);
  });

  it('is resumable: a second run finds nothing left to do', async () => {
    const outcome = await distribute(db, { dryRun: false, limits: DEFAULT_REFERENCE_LIMITS });
    expect(outcome).toMatchObject({ status: 'distributed', steps: [] });
  });

  it('passes db validate (the live probe included) and db validate --citus on the cluster', async () => {
    const report = await validateDatabase(db);
    expect(report.findings).toEqual([]);
    expect(report.skipped ?? []).toEqual([]);
    expect(report.checksByRule['probe-own-rows']).toBeGreaterThan(0);
    expect(await checkCitusReadiness(db)).toMatchObject({ ok: true, findings: [] });
  });

  it('db validate --citus names a table left plain or made a reference table, and a shard function left unprepared', async () => {
    const exec = (script: string) => db.session((session) => session.exec(script));
    const located = async () => (await checkCitusReadiness(db)).findings.map((f) => `${f.rule} ${f.table}`);
    await exec(`create table widgets (organization_id uuid not null, id uuid not null, primary key (organization_id, id));
                create function app.count_widgets() returns bigint language plpgsql stable security definer
                  set search_path = pg_catalog as $$ begin return (select count(*) from public.widgets); end $$;
                create policy widgets_tenant on widgets using (organization_id = app.current_organization_id() and app.count_widgets() >= 0);`);
    try {
      expect(await located()).toEqual(['citus-shard-function app.count_widgets()', 'citus-placement widgets']);
      await exec(`select create_reference_table('widgets')`);
      expect(await located()).toEqual(['citus-shard-function app.count_widgets()', 'citus-placement widgets']);
      expect((await checkCitusReadiness(db)).findings.find((f) => f.table === 'widgets')?.message).toMatch(/^a reference table; a table with organization_id/);
    } finally {
      await exec('drop table widgets; drop function app.count_widgets()');
    }
    expect(await located()).toEqual([]);
  });

  it("db validate's probe sees a tenant's own rows go missing on the one worker that holds them", async () => {
    const [organizationId] = organizations;
    const [placement] = await db.query<{ shard: string; port: number }>(
      `select s.shardid::text as shard, p.nodeport as port
         from pg_dist_shard s join pg_dist_shard_placement p on p.shardid = s.shardid
        where s.shardid = get_shard_id_for_distribution_column('projects', $1::uuid)`,
      [organizationId],
    );
    const worker = urls.find((url) => Number(new URL(url).port) === placement?.port);
    if (!placement || !worker || worker === urls[0]) throw new Error('the tenant has its projects shard on a worker');
    // The shard's own policy, on that worker only: the coordinator's catalog still looks right.
    const policy = (using: string) => `alter policy projects_tenant_select on public.projects_${placement.shard} using (${using})`;
    await runSql(worker, [policy('organization_id = (select app.current_organization_id()) and name is null')]);
    try {
      const report = await validateDatabase(db);
      // Every tenant whose projects share that shard loses them: one finding each.
      expect(new Set(report.findings.map((f) => `${f.rule} ${f.table}`))).toEqual(new Set(['probe-own-rows projects']));
      expect(report.findings.map((f) => f.message).join('\n')).toMatch(
        new RegExp(`\\(its rows are on node [^)]+:${placement.port}\\), a select of its own rows sees 0 of its [1-9]\\d* row`),
      );
    } finally {
      await runSql(worker, [policy('organization_id = (select app.current_organization_id())')]);
    }
    expect((await validateDatabase(db)).findings).toEqual([]);
  });

  it('reads, writes and audits as tenantry_app on the workers: own rows seen, one audit row with the logical name', async () => {
    const [organizationId] = organizations;
    if (!organizationId) throw new Error('the demo seed has organizations');
    const [owner] = await db.query<{ user_id: string }>("select user_id::text from members where organization_id = $1 and role = 'owner'", [
      organizationId,
    ]);
    const context = { organizationId, userId: owner?.user_id ?? null, requestId: 'citus-audit-probe' };
    const seen = await withTenant(db, context, async (tx) => {
      const [tasks] = rowsOf<{ n: number }>(await tx.execute(sql`select count(*)::int as n from tasks`));
      const members = rowsOf<{ name: string }>(await tx.execute(sql`select u.name from members m join users u on u.id = m.user_id`));
      await tx.execute(sql`update tasks set title = title || ' (checked)' where id = (select id from tasks order by id limit 1)`);
      return { tasks: tasks?.n ?? 0, members: members.length };
    });
    const [expected] = await db.query<{ tasks: number; members: number }>(
      `select (select count(*) from tasks where organization_id = $1)::int as tasks,
              (select count(*) from members where organization_id = $1)::int as members`,
      [organizationId],
    );
    expect(seen).toEqual(expected);
    const audit = await db.query<{ resource_type: string; action: string; changed_fields: string[] }>(
      "select resource_type, action, changed_fields from audit_logs where organization_id = $1 and request_id = 'citus-audit-probe'",
      [organizationId],
    );
    expect(audit).toEqual([{ resource_type: 'tasks', action: 'update', changed_fields: ['title'] }]);
  });

  it('creates a task in one round trip on the cluster, its webhook event recorded per subscriber, then dispatched into a delivery and job each', async () => {
    const { organizationId, row } = await ownerAndProject();
    await db.query(`insert into webhooks (organization_id, url, events, secret_ciphertext) values ($1, 'https://hooks.example/citus', array['task.created'], '\\x00')`, [organizationId]);
    const call = { db, claim: { organizationId, userId: row.user_id }, requestId: 'citus-one-trip' };
    const task = await createTaskInOneTrip(call, row.project_id, { title: 'One trip on Citus' });
    expect(task).toMatchObject({ title: 'One trip on Citus', projectId: row.project_id });
    const recorded = await db.query(`select id from webhook_outbox where organization_id = $1 and body::json -> 'data' ->> 'id' = $2`, [organizationId, task?.id]);
    expect(recorded.length).toBeGreaterThan(0);
    await dispatchWebhookEvents(db);
    expect(await db.query(`select id from webhook_outbox where organization_id = $1`, [organizationId])).toEqual([]);
    const deliveries = await db.query<{ jobs: number }>(
      `select (select count(*)::int from jobs j where j.payload ->> 'deliveryId' = d.id::text) as jobs
         from webhook_deliveries d where d.organization_id = $1 and d.body::json -> 'data' ->> 'id' = $2`,
      [organizationId, task?.id],
    );
    const [listening] = await db.query<{ n: number }>(
      "select count(*)::int as n from webhooks where organization_id = $1 and status = 'active' and 'task.created' = any(events)",
      [organizationId],
    );
    // The demo's own subscriptions and the one above: a delivery each, each with its job.
    expect(deliveries).toEqual(Array.from({ length: listening?.n ?? 0 }, () => ({ jobs: 1 })));
    expect(deliveries.length).toBeGreaterThan(0);
  });

  it('wakes a dispatcher listening on the coordinator for a task created in one round trip', async () => {
    const { organizationId, row } = await ownerAndProject();
    await db.query(`insert into webhooks (organization_id, url, events, secret_ciphertext) values ($1, 'https://hooks.example/citus-woken', array['task.created'], '\\x00')`, [organizationId]);
    // The fallback an hour away: only the NOTIFY can make this dispatcher look at the organization.
    const dispatcher = startWebhookDispatcher(db, { fallbackMs: 3_600_000 });
    try {
      await dispatcher.ready;
      await dispatcher.dispatch();
      const call = { db, claim: { organizationId, userId: row.user_id }, requestId: 'citus-woken' };
      const task = await createTaskInOneTrip(call, row.project_id, { title: 'Woken on Citus' });
      let queued = 0;
      for (const deadline = Date.now() + 5_000; queued === 0 && Date.now() < deadline; ) {
        queued = await dispatcher.dispatch();
        if (queued === 0) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(queued).toBeGreaterThan(0);
      expect(await db.query(`select id from webhook_outbox where organization_id = $1 and body::json -> 'data' ->> 'id' = $2`, [organizationId, task?.id])).toEqual([]);
    } finally {
      await dispatcher.close();
    }
  });

  it('creates a batch of tasks in one round trip on the cluster: numbered in order, a watch, a live event and a webhook delivery with its job each', async () => {
    const { organizationId, row } = await ownerAndProject();
    await db.query(`insert into webhooks (organization_id, url, events, secret_ciphertext) values ($1, 'https://hooks.example/citus-bulk', array['task.created'], '\\x00')`, [organizationId]);
    const call = { db, claim: { organizationId, userId: row.user_id }, requestId: 'citus-one-trip-bulk' };
    const created = await createTasksInOneTrip(call, row.project_id, [{ title: 'Bulk one' }, { title: 'Bulk two', priority: 'high' }, { title: 'Bulk three', storyPoints: 3 }]);
    expect(created?.map((task) => task.title)).toEqual(['Bulk one', 'Bulk two', 'Bulk three']);
    const ids = created?.map((task) => task.id) ?? [];
    const numbers = created?.map((task) => task.number) ?? [];
    expect(numbers).toEqual([numbers[0], (numbers[0] ?? 0) + 1, (numbers[0] ?? 0) + 2]);
    const watches = await db.query(`select task_id::text from task_watchers where organization_id = $1 and user_id = $2 and task_id = any($3::uuid[]) order by task_id`, [organizationId, row.user_id, ids]);
    expect(watches).toEqual([...ids].sort().map((id) => ({ task_id: id })));
    const events = await db.query(`select resource_id::text from live_events where organization_id = $1 and kind = 'task.created' and resource_id = any($2::uuid[]) order by resource_id`, [organizationId, ids]);
    expect(events).toEqual([...ids].sort().map((id) => ({ resource_id: id })));
    await dispatchWebhookEvents(db);
    const deliveries = await db.query<{ id: string; jobs: number }>(
      `select d.body::json -> 'data' ->> 'id' as id, (select count(*)::int from jobs j where j.payload ->> 'deliveryId' = d.id::text) as jobs
         from webhook_deliveries d where d.organization_id = $1 and d.subscription_id = (select id from webhooks where organization_id = $1 and url = 'https://hooks.example/citus-bulk')
        order by 1`,
      [organizationId],
    );
    expect(deliveries).toEqual([...ids].sort().map((id) => ({ id, jobs: 1 })));
  });

  it("comments in one round trip on the cluster: the author's watch, the other watchers told, the live events and a webhook delivery with its job", async () => {
    const { organizationId, row } = await ownerAndProject();
    const [other] = await db.query<{ user_id: string }>(`select user_id::text from members where organization_id = $1 and user_id <> $2 order by user_id limit 1`, [organizationId, row.user_id]);
    if (!other) throw new Error('the demo seed has a second member');
    const call = { db, claim: { organizationId, userId: row.user_id }, requestId: 'citus-one-trip-comment' };
    const task = await createTaskInOneTrip(call, row.project_id, { title: 'Discussed on Citus' });
    if (!task) throw new Error('the task was not created');
    await db.query(`insert into task_watchers (organization_id, task_id, user_id) values ($1, $2, $3)`, [organizationId, task.id, other.user_id]);
    await db.query(`insert into webhooks (organization_id, url, events, secret_ciphertext) values ($1, 'https://hooks.example/citus-comment', array['comment.created'], '\\x00')`, [organizationId]);
    const comment = await createCommentInOneTrip(call, task.id, { body: 'One trip on Citus' });
    expect(comment).toMatchObject({ taskId: task.id, authorId: row.user_id, body: 'One trip on Citus' });
    expect(await db.query(`select user_id::text, type from notifications where organization_id = $1 and comment_id = $2`, [organizationId, comment?.id])).toEqual([{ user_id: other.user_id, type: 'commented' }]);
    const events = await db.query(
      `select kind from live_events where organization_id = $1 and (resource_id = $2 or (kind = 'notifications.created' and resource_id = $3)) order by kind`,
      [organizationId, comment?.id, task.id],
    );
    expect(events).toEqual([{ kind: 'comment.created' }, { kind: 'notifications.created' }]);
    await dispatchWebhookEvents(db);
    const deliveries = await db.query(
      `select (select count(*)::int from jobs j where j.payload ->> 'deliveryId' = d.id::text) as jobs
         from webhook_deliveries d where d.organization_id = $1 and d.event = 'comment.created' and d.body::json -> 'data' ->> 'id' = $2
          and d.subscription_id = (select id from webhooks where organization_id = $1 and url = 'https://hooks.example/citus-comment')`,
      [organizationId, comment?.id],
    );
    expect(deliveries).toEqual([{ jobs: 1 }]);
  });

  it('updates a task in one round trip on the cluster: its live event and its webhook delivery and job', async () => {
    const [organizationId] = organizations;
    if (!organizationId) throw new Error('the demo seed has organizations');
    const [row] = await db.query<{ user_id: string; task_id: string; project_id: string }>(
      `select m.user_id::text, t.id::text as task_id, t.project_id::text from members m
         join tasks t on t.organization_id = m.organization_id and t.deleted_at is null
        where m.organization_id = $1 and m.role = 'owner' order by t.id limit 1`,
      [organizationId],
    );
    if (!row) throw new Error('the demo seed has an owner and a task');
    await db.query(`insert into webhooks (organization_id, url, events, secret_ciphertext) values ($1, 'https://hooks.example/citus', array['task.updated'], '\\x00')`, [organizationId]);
    const eventsOf = () =>
      db.query(`select kind, project_id::text from live_events where organization_id = $1 and resource_id = $2 order by id`, [organizationId, row.task_id]);
    const before = await eventsOf();
    const call = { db, claim: { organizationId, userId: row.user_id }, requestId: 'citus-one-trip-update' };
    const task = await updateTaskInOneTrip(call, row.task_id, { title: 'Updated in one trip on Citus', storyPoints: 8 });
    expect(task).toMatchObject({ id: row.task_id, title: 'Updated in one trip on Citus', storyPoints: 8 });
    expect(await eventsOf()).toEqual([...before, { kind: 'task.updated', project_id: row.project_id }]);
    await dispatchWebhookEvents(db);
    const deliveries = await db.query<{ jobs: number }>(
      `select (select count(*)::int from jobs j where j.payload ->> 'deliveryId' = d.id::text) as jobs
         from webhook_deliveries d where d.organization_id = $1 and d.event = 'task.updated' and d.body::json -> 'data' ->> 'id' = $2`,
      [organizationId, row.task_id],
    );
    expect(deliveries.length).toBeGreaterThan(0);
    expect(deliveries.every((delivery) => delivery.jobs === 1)).toBe(true);
  });

  it('changes a status and an assignee in one round trip on the cluster: the new assignee and the watchers are told', async () => {
    const [organizationId] = organizations;
    if (!organizationId) throw new Error('the demo seed has organizations');
    const [row] = await db.query<{ owner: string; other: string; task_id: string; status: string }>(
      `select o.user_id::text as owner, a.user_id::text as other, t.id::text as task_id, t.status from members o
         join members a on a.organization_id = o.organization_id and a.user_id <> o.user_id
         join tasks t on t.organization_id = o.organization_id and t.deleted_at is null and t.assignee_id is distinct from a.user_id
        where o.organization_id = $1 and o.role = 'owner' order by a.user_id, t.id limit 1`,
      [organizationId],
    );
    if (!row) throw new Error('the demo seed has an owner, another member and a task');
    const told = () =>
      db.query<{ type: string; user_id: string }>(
        `select type, user_id::text from notifications where organization_id = $1 and task_id = $2 order by type, user_id`,
        [organizationId, row.task_id],
      );
    const before = await told();
    const status = row.status === 'done' ? 'in_progress' : 'done';
    const call = { db, claim: { organizationId, userId: row.owner }, requestId: 'citus-one-trip-status' };
    const task = await updateTaskInOneTrip(call, row.task_id, { status, assigneeId: row.other });
    expect(task).toMatchObject({ id: row.task_id, status, assigneeId: row.other });
    const after = await told();
    // The new assignee now watches: told once that the task is theirs and once of its new status.
    expect(after.filter((n) => n.user_id === row.other).length - before.filter((n) => n.user_id === row.other).length).toBe(2);
    expect(after.some((n) => n.type === 'assigned' && n.user_id === row.other)).toBe(true);
    expect(after.some((n) => n.type === 'status_changed' && n.user_id === row.other)).toBe(true);
  });

  /** The first three live tasks, in board order, of a project of the first organization that has that many, and its owner. */
  async function boardOfThree() {
    const [organizationId] = organizations;
    if (!organizationId) throw new Error('the demo seed has organizations');
    const cards = await db.query<{ id: string; project_id: string; position: string; status: string; owner: string }>(
      `select t.id::text, t.project_id::text, t.position, t.status,
              (select m.user_id::text from members m where m.organization_id = t.organization_id and m.role = 'owner' limit 1) as owner
         from tasks t
        where t.organization_id = $1 and t.deleted_at is null
          and t.project_id = (select project_id from tasks where organization_id = $1 and deleted_at is null group by project_id having count(*) >= 3 order by project_id limit 1)
        order by t.position collate "C" limit 3`,
      [organizationId],
    );
    const [first, second, third] = cards;
    if (!first || !second || !third) throw new Error('the demo seed has a project with three tasks');
    return { organizationId, first, second, third };
  }

  const liveEventsOf = (organizationId: string, taskId: string) =>
    db.query<{ kind: string }>(`select kind from live_events where organization_id = $1 and resource_id = $2 order by id`, [organizationId, taskId]);

  it('moves a task in one round trip on the cluster: the key the library gives, the status, the live event', async () => {
    const { organizationId, first, second, third } = await boardOfThree();
    const call = { db, claim: { organizationId, userId: first.owner }, requestId: 'citus-one-trip-move' };
    const status = first.status === 'done' ? 'in_progress' : 'done';
    const task = await moveTaskInOneTrip(call, first.id, { afterId: second.id, status });
    expect(task).toMatchObject({ id: first.id, status, position: generateKeyBetween(second.position, third.position) });
    expect((await liveEventsOf(organizationId, first.id)).at(-1)).toEqual({ kind: 'task.updated' });
    // A refused move (the task next to itself) writes nothing and answers undefined: the ordinary move then says why.
    expect(await moveTaskInOneTrip(call, first.id, { afterId: first.id })).toBeUndefined();
  });

  it('deletes a task in one round trip on the cluster: the soft delete and its live event', async () => {
    const { organizationId, first } = await boardOfThree();
    const call = { db, claim: { organizationId, userId: first.owner }, requestId: 'citus-one-trip-delete' };
    expect(await deleteTaskInOneTrip(call, first.id)).toBe(true);
    const [row] = await db.query<{ deleted: boolean }>(`select deleted_at is not null as deleted from tasks where organization_id = $1 and id = $2`, [organizationId, first.id]);
    expect(row).toEqual({ deleted: true });
    expect((await liveEventsOf(organizationId, first.id)).at(-1)).toEqual({ kind: 'task.deleted' });
    expect(await deleteTaskInOneTrip(call, first.id)).toBeUndefined();
  });

  it('updates and comments on a task named by reference in one round trip on the cluster, the reference resolved once', async () => {
    const [organizationId] = organizations;
    if (!organizationId) throw new Error('the demo seed has organizations');
    const [row] = await db.query<{ owner: string; other: string; task_id: string; ref: string; status: string }>(
      `select o.user_id::text as owner, a.user_id::text as other, t.id::text as task_id, p.key || '-' || t.number as ref, t.status from members o
         join members a on a.organization_id = o.organization_id and a.user_id <> o.user_id
         join tasks t on t.organization_id = o.organization_id and t.deleted_at is null and t.assignee_id is distinct from a.user_id
         join projects p on p.organization_id = t.organization_id and p.id = t.project_id and p.deleted_at is null
        where o.organization_id = $1 and o.role = 'owner' order by a.user_id, t.id desc limit 1`,
      [organizationId],
    );
    if (!row) throw new Error('the demo seed has an owner, another member and a task');
    const status = row.status === 'done' ? 'in_progress' : 'done';
    const call = { db, claim: { organizationId, userId: row.owner }, requestId: 'citus-one-trip-by-ref' };
    const task = await updateTaskInOneTrip(call, row.ref.toLowerCase(), { status, assigneeId: row.other, title: 'Named by reference on Citus' });
    expect(task).toMatchObject({ id: row.task_id, status, assigneeId: row.other, title: 'Named by reference on Citus' });
    const told = await db.query(`select type from notifications where organization_id = $1 and task_id = $2 and user_id = $3 and type in ('assigned', 'status_changed') order by type`, [
      organizationId,
      row.task_id,
      row.other,
    ]);
    expect(told).toEqual([{ type: 'assigned' }, { type: 'status_changed' }]);
    const comment = await createCommentInOneTrip(call, row.ref, { body: 'By reference on Citus' });
    expect(comment).toMatchObject({ taskId: row.task_id, authorId: row.owner });
    expect(await db.query(`select type from notifications where organization_id = $1 and comment_id = $2 and user_id = $3`, [organizationId, comment?.id, row.other])).toEqual([
      { type: 'commented' },
    ]);
  });

  it('tells the assignee and the members a create, a comment and a new description mention, in one round trip on the cluster, the stored mentions left out', async () => {
    const [organizationId] = organizations;
    if (!organizationId) throw new Error('the demo seed has organizations');
    const [row] = await db.query<{ owner: string; other: string; handle: string; task_id: string; project_id: string }>(
      `select o.user_id::text as owner, a.user_id::text as other, lower(split_part(u.email, '@', 1)) as handle, t.id::text as task_id, t.project_id::text as project_id from members o
         join members a on a.organization_id = o.organization_id and a.user_id <> o.user_id
         join users u on u.id = a.user_id
         join tasks t on t.organization_id = o.organization_id and t.deleted_at is null
         join projects p on p.organization_id = t.organization_id and p.id = t.project_id and p.deleted_at is null and p.visibility <> 'private'
        where o.organization_id = $1 and o.role = 'owner' order by a.user_id, t.id limit 1`,
      [organizationId],
    );
    if (!row) throw new Error('the demo seed has an owner, another member and a task');
    const call = { db, claim: { organizationId, userId: row.owner }, requestId: 'citus-one-trip-mentions' };
    const mentionedAbout = (taskId: string) =>
      db.query(`select type from notifications where organization_id = $1 and task_id = $2 and user_id = $3 and type = 'mentioned'`, [organizationId, taskId, row.other]);
    const before = (await mentionedAbout(row.task_id)).length;
    const comment = await createCommentInOneTrip(call, row.task_id, { body: `Over to @${row.handle}` });
    expect(comment).toMatchObject({ taskId: row.task_id });
    expect(await mentionedAbout(row.task_id)).toHaveLength(before + 1);
    expect(await updateTaskInOneTrip(call, row.task_id, { description: `Ask @${row.handle}` })).toMatchObject({ description: `Ask @${row.handle}` });
    expect(await mentionedAbout(row.task_id)).toHaveLength(before + 2);
    expect(await updateTaskInOneTrip(call, row.task_id, { description: `Ask @${row.handle} again` })).toMatchObject({ id: row.task_id });
    expect(await mentionedAbout(row.task_id)).toHaveLength(before + 2);
    const created = await createTaskInOneTrip(call, row.project_id, { title: 'Told on Citus', assigneeId: row.other, description: `For @${row.handle}` });
    expect(created).toMatchObject({ assigneeId: row.other });
    const told = await db.query(`select type from notifications where organization_id = $1 and task_id = $2 and user_id = $3 order by type`, [organizationId, created?.id, row.other]);
    expect(told).toEqual([{ type: 'assigned' }, { type: 'mentioned' }]);
  });
});

/** Rows per application table, read through Citus (every node's shards; Citus hides the shards themselves from pg_class). */
async function rowCounts(db: Database): Promise<Record<string, number>> {
  const tables = await db.query<{ name: string }>(
    "select c.relname::text as name from pg_class c where c.relnamespace = 'public'::regnamespace and c.relkind = 'r' order by 1",
  );
  const counts: Record<string, number> = {};
  for (const { name } of tables) {
    const [row] = await db.query<{ n: number }>(`select count(*)::int as n from public.${name}`);
    counts[name] = row?.n ?? 0;
  }
  return counts;
}

/** The rows of a Drizzle `execute` result (pg and PGlite both return `{ rows }`). */
function rowsOf<Row>(result: unknown): Row[] {
  return (result as { rows: Row[] }).rows;
}

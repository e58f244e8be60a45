import { existsSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiHarness, createApiHarness } from '../../test/support/api.js';
import { LocalDiskBlobStore } from '../storage/local-disk.js';
import { PURGE_ACTOR, purgeDeleted, startPurgeSchedule } from './index.js';

describe('purge of soft-deleted rows', () => {
  let h: ApiHarness;
  const ids: Record<string, string> = {};
  /** A row straight into the table, soft-deleted `daysAgo` days ago (null: live). */
  async function add(name: string, table: string, columns: Record<string, unknown>, daysAgo: number | null) {
    const values = { ...columns, organization_id: h.tenantA.organizationId };
    const names = Object.keys(values);
    const [row] = await h.test.db.query<{ id: string }>(
      `insert into ${table} (${names.join(', ')}, deleted_at)
       values (${names.map((_, i) => `$${i + 1}`).join(', ')}, now() - $${names.length + 1}::float8 * interval '1 day')
       returning id`,
      [...Object.values(values), daysAgo],
    );
    ids[name] = row?.id ?? '';
  }
  const exists = async (table: string, name: string) => (await h.test.db.query(`select 1 from ${table} where id = $1`, [ids[name]])).length > 0;

  beforeAll(async () => {
    h = await createApiHarness();
    await add('liveProject', 'projects', { name: 'Live', key: 'LIVE' }, null);
    await add('oldProject', 'projects', { name: 'Old', key: 'OLD' }, 40);
    await add('recentProject', 'projects', { name: 'Recent', key: 'RECENT' }, 2);
    await add('taskOfOldProject', 'tasks', { project_id: ids.oldProject, title: 'went with its project' }, null);
    await add('liveTask', 'tasks', { project_id: ids.liveProject, title: 'live' }, null);
    await add('oldTask', 'tasks', { project_id: ids.liveProject, title: 'old' }, 31);
    await add('recentTask', 'tasks', { project_id: ids.liveProject, title: 'recent' }, 29);
    await add('oldComment', 'comments', { task_id: ids.liveTask, body: 'old' }, 60);
    await add('oldDocument', 'documents', { project_id: ids.liveProject, title: 'Old', slug: 'old' }, 45);
  });
  afterAll(async () => {
    await h.destroy();
  });

  it('counts on a dry run and deletes nothing', async () => {
    const lines: string[] = [];
    const summary = await purgeDeleted(h.test.db, { dryRun: true, onProgress: (line) => lines.push(line) });
    expect(summary).toMatchObject({ dryRun: true, total: 4 });
    expect(Object.fromEntries(summary.tables.map((t) => [t.table, t.rows]))).toMatchObject({ projects: 1, tasks: 1, comments: 1, documents: 1 });
    expect(lines[0]).toMatch(/^Dry run: would purge rows soft-deleted before .* \(30 days\)$/);
    for (const [table, name] of [['projects', 'oldProject'], ['tasks', 'oldTask'], ['comments', 'oldComment'], ['documents', 'oldDocument']]) {
      expect(await exists(table!, name!), name).toBe(true);
    }
  });

  it('removes rows deleted before the retention period for good, children first, audited as the system', async () => {
    const lines: string[] = [];
    const summary = await purgeDeleted(h.test.db, { onProgress: (line) => lines.push(line) });
    expect(summary).toMatchObject({ dryRun: false, total: 4 });
    expect(summary.tables.map((t) => t.table)).toEqual(['comments', 'tasks', 'epics', 'documents', 'gaps', 'project_assets', 'projects']);
    expect(lines.at(-1)).toBe('Purged 4 rows, and with them any rows that belonged to them.');
    for (const [table, name] of [['projects', 'oldProject'], ['tasks', 'oldTask'], ['tasks', 'taskOfOldProject'], ['comments', 'oldComment'], ['documents', 'oldDocument']]) {
      expect(await exists(table!, name!), name).toBe(false);
    }
    for (const [table, name] of [['projects', 'liveProject'], ['projects', 'recentProject'], ['tasks', 'liveTask'], ['tasks', 'recentTask']]) {
      expect(await exists(table!, name!), name).toBe(true);
    }
    const trail = await h.test.db.query<{ resource_id: string; actor_user_id: string | null; request_id: string }>(
      // task_sprint_states (migration 0012) go with their tasks and are audited too; this counts the purged rows themselves.
      `select resource_id, actor_user_id, request_id from audit_logs
        where action = 'delete' and organization_id = $1 and resource_type <> 'task_sprint_states' order by resource_id`,
      [h.tenantA.organizationId],
    );
    const purged = [ids.oldProject, ids.oldTask, ids.taskOfOldProject, ids.oldComment, ids.oldDocument].sort();
    expect(trail.map((row) => row.resource_id).sort()).toEqual(purged);
    expect(new Set(trail.map((row) => `${row.actor_user_id}:${row.request_id}`))).toEqual(new Set([`null:${PURGE_ACTOR}`]));
    expect((await purgeDeleted(h.test.db)).total).toBe(0);
  });

  it('takes a shorter period from --older-than', async () => {
    const summary = await purgeDeleted(h.test.db, { olderThanDays: 1 });
    expect(summary.total).toBe(2);
    expect(await exists('projects', 'recentProject')).toBe(false);
    expect(await exists('tasks', 'recentTask')).toBe(false);
    expect(await exists('tasks', 'liveTask')).toBe(true);
  });

  it('runs inside the server shortly after start, then on schedule, logging what it did', async () => {
    await add('scheduled', 'tasks', { project_id: ids.liveProject, title: 'scheduled' }, 90);
    const logged: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void logged.push(line) });
    const stop = startPurgeSchedule(h.test.db, logger, { firstRunAfterMs: 10, everyMs: 60_000 });
    try {
      await expect.poll(() => logged.length, { timeout: 10_000 }).toBeGreaterThan(0);
    } finally {
      stop();
    }
    expect(JSON.parse(logged[0] ?? '{}')).toMatchObject({ msg: 'purged soft-deleted rows past the retention period', purge: { total: 1 } });
    expect(await exists('tasks', 'scheduled')).toBe(false);
  });
});

describe('purge of a task with attachments', () => {
  let h: ApiHarness;
  afterAll(async () => {
    await h.destroy();
  });

  it("takes a purged task's and project's files with them, rows and bytes, and leaves live tasks' files alone", async () => {
    h = await createApiHarness();
    const { organizationId, actors } = h.tenantA;
    const post = async <T>(path: string, body: unknown) => (await (await h.request(actors.member, 'POST', `/api/v1/orgs/${organizationId}${path}`, body)).json()) as T;
    const attach = async (projectId: string, taskId: string) => {
      const response = await h.app.request(`/api/v1/orgs/${organizationId}/projects/${projectId}/assets?fileName=log.txt&taskId=${taskId}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${actors.member.token}`, 'content-type': 'text/plain' },
        body: 'bytes',
      });
      expect(response.status).toBe(201);
      return ((await response.json()) as { id: string }).id;
    };
    const project = await post<{ id: string }>('/projects', { name: 'Purged files', key: 'PURGED' });
    const doomedProject = await post<{ id: string }>('/projects', { name: 'Doomed', key: 'DOOMED' });
    const [oldTask, liveTask, taskOfDoomedProject] = [
      await post<{ id: string }>(`/projects/${project.id}/tasks`, { title: 'old' }),
      await post<{ id: string }>(`/projects/${project.id}/tasks`, { title: 'live' }),
      await post<{ id: string }>(`/projects/${doomedProject.id}/tasks`, { title: 'goes with its project' }),
    ];
    const gone = [await attach(project.id, oldTask.id), await attach(doomedProject.id, taskOfDoomedProject.id)];
    const kept = await attach(project.id, liveTask.id);
    await h.test.db.query(`update tasks set deleted_at = now() - interval '40 days' where id = $1`, [oldTask.id]);
    await h.test.db.query(`update projects set deleted_at = now() - interval '40 days' where id = $1`, [doomedProject.id]);

    await purgeDeleted(h.test.db, { blobStore: new LocalDiskBlobStore(join(h.dataDir, 'blobs')) });

    const file = (assetId: string) => existsSync(join(h.dataDir, 'blobs', organizationId, assetId));
    const rows = await h.test.db.query<{ id: string }>('select id from project_assets where organization_id = $1', [organizationId]);
    expect(rows.map((row) => row.id)).toEqual([kept]);
    expect(gone.map(file)).toEqual([false, false]);
    expect(file(kept)).toBe(true);
  });
});

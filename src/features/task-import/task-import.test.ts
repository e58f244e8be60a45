import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiHarness, createApiHarness } from '../../../test/support/api.js';

type Result = { dryRun: boolean; count: number; columns: Record<string, string>; tasks: Record<string, unknown>[]; taskIds: string[] };
type Problems = { error: { code: string; details: { path: string; message: string }[] } };

describe('CSV import of tasks', () => {
  let h: ApiHarness;
  let projectId = '';
  beforeAll(async () => {
    h = await createApiHarness();
    const { organizationId, actors } = h.tenantA;
    projectId = ((await (await h.request(actors.owner, 'POST', `/api/v1/orgs/${organizationId}/projects`, { name: 'Imported', key: 'IMP' })).json()) as { id: string }).id;
  });
  afterAll(async () => {
    await h.destroy();
  });

  const importCsv = (body: Record<string, unknown>) =>
    h.request(h.tenantA.actors.member, 'POST', `/api/v1/orgs/${h.tenantA.organizationId}/projects/${projectId}/tasks/import`, body);
  const taskRows = () => h.test.db.query<{ title: string; status: string; priority: string; type: string; story_points: number | null; due_date: string | null; assignee_id: string | null }>(
    `select title, status, priority, type, story_points, due_date::text, assignee_id::text from tasks where project_id = $1 order by number`,
    [projectId],
  );

  const jira = [
    'Issue key,Summary,Issue Type,Status,Priority,Custom field (Story Points),Due Date,Assignee,Description',
    `OLD-1,Login page,Story,In Progress,Highest,5,01/Mar/26,${'MEMBER'},"Multi-line\ndescription, with a comma"`,
    'OLD-2,Fix crash,Bug,Done,Low,,,,',
  ].join('\n');

  it("shows a dry run of Jira's export and writes nothing, then imports it", async () => {
    const csv = jira.replace('MEMBER', h.tenantA.actors.member.email.toUpperCase());
    const dry = await importCsv({ csv, dryRun: true });
    expect(dry.status, await dry.clone().text()).toBe(200);
    const preview = (await dry.json()) as Result;
    expect(preview).toMatchObject({ dryRun: true, count: 2, columns: { Summary: 'title', 'Issue key': 'ignore', 'Custom field (Story Points)': 'storyPoints' } });
    expect(preview.tasks[0]).toMatchObject({ title: 'Login page', type: 'story', status: 'in_progress', priority: 'urgent', storyPoints: 5, dueDate: '2026-03-01', assigneeId: h.tenantA.actors.member.userId });
    expect(await taskRows()).toEqual([]);
    expect(preview.taskIds).toEqual([]);

    const done = await importCsv({ csv });
    expect(done.status).toBe(201);
    // The ids answered are the created tasks', in the file's order (the web app links to them).
    const ids = await h.test.db.query<{ id: string }>(`select id::text from tasks where project_id = $1 order by number`, [projectId]);
    expect(((await done.json()) as Result).taskIds).toEqual(ids.map((row) => row.id));
    expect(await taskRows()).toEqual([
      { title: 'Login page', status: 'in_progress', priority: 'urgent', type: 'story', story_points: 5, due_date: '2026-03-01', assignee_id: h.tenantA.actors.member.userId },
      { title: 'Fix crash', status: 'done', priority: 'low', type: 'bug', story_points: null, due_date: null, assignee_id: null },
    ]);
  });

  it("reads Linear's export, and a mapping for other headers", async () => {
    const linear = ['ID,Title,Status,Priority,Estimate,Labels', 'ENG-9,Write docs,Backlog,No priority,2,docs'].join('\n');
    const response = await importCsv({ csv: linear, dryRun: true });
    expect(((await response.json()) as Result).tasks).toEqual([{ title: 'Write docs', status: 'todo', priority: 'medium', storyPoints: 2 }]);
    const custom = await importCsv({ csv: 'Name,Notes\nA thing,Some notes', mapping: { Name: 'title', Notes: 'description' }, dryRun: true });
    expect(((await custom.json()) as Result).tasks).toEqual([{ title: 'A thing', description: 'Some notes' }]);
  });

  it('reports every bad row by number and column, writing nothing', async () => {
    const before = await taskRows();
    const csv = ['Summary,Status,Story Points,Assignee', 'Fine,To Do,1,', ',Done,2,', 'Odd,Sleeping,many,nobody@example.com'].join('\n');
    const response = await importCsv({ csv });
    expect(response.status).toBe(400);
    const body = (await response.json()) as Problems;
    expect(body.error.code).toBe('validation_failed');
    expect(body.error.details.map((d) => d.path).sort()).toEqual(['rows.2.title', 'rows.3.Status', 'rows.3.Story Points', 'rows.3.assignee'].sort());
    expect(await taskRows()).toEqual(before);

    const noTitle = await importCsv({ csv: 'Foo,Bar\n1,2' });
    expect(((await noTitle.json()) as Problems).error.details).toEqual([{ path: 'mapping', message: 'no title column' }]);
    const broken = await importCsv({ csv: 'Summary,Status\n"unterminated,To Do' });
    expect(((await broken.json()) as Problems).error.details[0]?.path).toBe('csv');
    expect(await taskRows()).toEqual(before);
  });

  it('places the columns of a header line whatever the rows hold, for the screen to show before a dry run', async () => {
    const path = `/api/v1/orgs/${h.tenantA.organizationId}/projects/${projectId}/tasks/import/columns`;
    const headers = ['Issue key', 'Summary', 'Issue Type', 'Status', 'Notes'];
    const placed = await h.request(h.tenantA.actors.member, 'POST', path, { headers, mapping: { Notes: 'description', Status: 'ignore' } });
    expect(placed.status).toBe(200);
    expect(await placed.json()).toEqual({ columns: { 'Issue key': 'ignore', Summary: 'title', 'Issue Type': 'type', Status: 'ignore', Notes: 'description' } });
    expect((await h.request(h.tenantA.actors.viewer, 'POST', path, { headers })).status).toBe(403);
    const outsider = await h.request(h.tenantB.actors.owner, 'POST', path.replace(h.tenantA.organizationId, h.tenantB.organizationId), { headers });
    expect(outsider.status).toBe(404);
  });

  it('is all or nothing when the plan limit refuses part of it', async () => {
    const before = await taskRows();
    const [plan] = await h.test.db.query<{ max_tasks: number | null }>(`select max_tasks from subscription_plans where code = 'free'`);
    await h.test.db.query(`update subscription_plans set max_tasks = $1 where code = 'free'`, [before.length + 1]);
    try {
      const response = await importCsv({ csv: 'Summary\nOne\nTwo\nThree' });
      expect(response.status).toBe(403);
      expect(await taskRows()).toEqual(before);
    } finally {
      await h.test.db.query(`update subscription_plans set max_tasks = $1 where code = 'free'`, [plan?.max_tasks ?? null]);
    }
  });

  it('answers 403 to viewers and 404 for another tenant’s project', async () => {
    const path = `/api/v1/orgs/${h.tenantA.organizationId}/projects/${projectId}/tasks/import`;
    expect((await h.request(h.tenantA.actors.viewer, 'POST', path, { csv: 'Summary\nX' })).status).toBe(403);
    const outsider = await h.request(h.tenantB.actors.owner, 'POST', `/api/v1/orgs/${h.tenantB.organizationId}/projects/${projectId}/tasks/import`, { csv: 'Summary\nX', dryRun: true });
    expect(outsider.status).toBe(404);
  });
});

/**
 * The two walls of private projects and project roles, each proven on its own (issue 13): the
 * services' check with the policies letting every row through, and the policies with no service
 * in front of them. Either one switched off must make one of these tests fail, even though the
 * API tests pass while the other wall still stands.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { SqlSession as Session } from '../../db/connection.js';
import { rowsOf } from '../../db/rows.js';
import { withTenant } from '../../db/tenant-context.js';
import { TenantryError } from '../../errors.js';
import { type Actor, type ApiHarness, createApiHarness } from '../../../test/support/api.js';
import { asApp, errorCodeOf } from '../../../test/support/as-role.js';
import { subscribe } from '../../../test/support/plan.js';
import { listProjects } from '../projects/repository.js';
import { type ProjectNeed, requireProjectAccess } from './project-access.js';

describe('project access, wall by wall', () => {
  let h: ApiHarness;
  let member: Actor;
  const projects = { hidden: '', viewed: '', followed: '' };
  const org = () => h.tenantA.organizationId;

  beforeAll(async () => {
    h = await createApiHarness();
    await subscribe(h.test, org(), 'pro');
    member = h.tenantA.actors.member;
    const { admin } = h.tenantA.actors;
    const create = async (key: string, visibility: string) => {
      const response = await h.request(admin, 'POST', `/api/v1/orgs/${org()}/projects`, { name: key, key, visibility });
      return ((await response.json()) as { id: string }).id;
    };
    projects.hidden = await create('HIDDEN', 'private');
    projects.viewed = await create('VIEWED', 'organization');
    projects.followed = await create('FOLLOWED', 'organization');
    for (const [projectId, role] of [[projects.viewed, 'viewer'], [projects.followed, 'stakeholder']] as const) {
      const added = await h.request(admin, 'POST', `/api/v1/orgs/${org()}/projects/${projectId}/members`, { userId: member.userId, role });
      expect(added.status).toBe(201);
    }
    for (const projectId of Object.values(projects)) {
      await h.request(admin, 'POST', `/api/v1/orgs/${org()}/projects/${projectId}/tasks`, { title: 'Existing work' });
    }
  });
  afterAll(async () => {
    await h.destroy();
  });

  describe("the services' check, with policies that hide nothing", () => {
    /**
     * A transaction without an acting user: the policies do not restrict it by project (work
     * without a member, such as jobs), so whatever the check refuses, it refuses by itself.
     */
    const outcome = (projectId: string, need: ProjectNeed) =>
      withTenant(h.test.db, { organizationId: org() }, async (tx) => {
        const [seen] = rowsOf<{ n: number }>(await tx.execute(sql`select count(*)::int as n from projects where id = ${projectId}`));
        expect(seen?.n, 'the policy lets the project through').toBe(1);
        return requireProjectAccess(tx, { organizationId: org(), userId: member.userId, role: 'member' }, projectId, need).then(
          () => 'allowed',
          (error: unknown) => (error instanceof TenantryError ? error.code : String(error)),
        );
      });

    it('answers 404 for a private project the member is not on, whatever they ask', async () => {
      for (const need of ['read', 'comment', 'write', 'manage'] as const) expect(await outcome(projects.hidden, need), need).toBe('not_found');
    });

    it('lets a project viewer read only', async () => {
      expect(await outcome(projects.viewed, 'read')).toBe('allowed');
      for (const need of ['comment', 'write', 'manage'] as const) expect(await outcome(projects.viewed, need), need).toBe('forbidden');
    });

    it('lets a project stakeholder read and comment, and change nothing else', async () => {
      expect(await outcome(projects.followed, 'read')).toBe('allowed');
      expect(await outcome(projects.followed, 'comment')).toBe('allowed');
      for (const need of ['write', 'manage'] as const) expect(await outcome(projects.followed, need), need).toBe('forbidden');
    });

    it("leaves a private project the member is not on out of the project list, with the member's role on the others", async () => {
      const listed = await withTenant(h.test.db, { organizationId: org() }, (tx) =>
        listProjects(tx, org(), { includeArchived: true, userId: member.userId, seesEveryProject: false, afterId: null, limit: 100 }),
      );
      const roles = Object.fromEntries(listed.map((project) => [project.id, project.myRole]));
      expect(roles).not.toHaveProperty(projects.hidden);
      expect(roles).toMatchObject({ [projects.viewed]: 'viewer', [projects.followed]: 'stakeholder' });
    });
  });

  describe('the policies, with no service in front', () => {
    const asMember = <T>(work: (session: Session) => Promise<T>) => asApp(h.test.db, { organizationId: org(), userId: member.userId }, work);
    const taskOf = async (projectId: string) =>
      (await h.test.db.query<{ id: string }>('select id from tasks where project_id = $1 limit 1', [projectId]))[0]?.id ?? '';
    const insertTask = (session: Session, projectId: string) =>
      session.query(`insert into tasks (organization_id, project_id, number, title, created_by_id) values ($1, $2, 900, 'sneaked in', $3)`, [
        org(),
        projectId,
        member.userId,
      ]);
    const insertComment = (session: Session, taskId: string) =>
      session.query(`insert into comments (organization_id, task_id, author_id, body) values ($1, $2, $3, 'a word')`, [org(), taskId, member.userId]);

    it("refuse a project viewer's writes on the project's rows and let them read", async () => {
      const taskId = await taskOf(projects.viewed);
      await asMember(async (session) => {
        expect(await session.query('select id from tasks where id = $1', [taskId])).toHaveLength(1);
        expect(await session.query(`update tasks set title = 'changed' where id = $1 returning id`, [taskId])).toEqual([]);
        expect(await session.query('delete from tasks where id = $1 returning id', [taskId])).toEqual([]);
      });
      expect(await asMember((session) => errorCodeOf(insertTask(session, projects.viewed)))).toBe('42501');
      expect(await asMember((session) => errorCodeOf(insertComment(session, taskId)))).toBe('42501');
    });

    it("refuse a project stakeholder's changes to the work but take their comments", async () => {
      const taskId = await taskOf(projects.followed);
      await asMember(async (session) => {
        expect(await session.query(`update tasks set title = 'changed' where id = $1 returning id`, [taskId])).toEqual([]);
      });
      expect(await asMember((session) => errorCodeOf(insertTask(session, projects.followed)))).toBe('42501');
      expect(await asMember((session) => errorCodeOf(insertComment(session, taskId)))).toBe('no error');
    });

    it('let the same member write in a project where they have no project role', async () => {
      const open = (await h.request(h.tenantA.actors.admin, 'POST', `/api/v1/orgs/${org()}/projects`, { name: 'OPEN', key: 'OPEN' })).json();
      const projectId = ((await open) as { id: string }).id;
      expect(await asMember((session) => errorCodeOf(insertTask(session, projectId)))).toBe('no error');
    });
  });
});

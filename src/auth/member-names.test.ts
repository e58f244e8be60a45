import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiHarness, createApiHarness } from '../../test/support/api.js';

type Person = { id: string; name: string; image: string | null } | null;
type TaskBody = { id: string; assignee: Person; reporter: Person };

/*
 * Task reads show people from the members' copy of name and image (migration 0038), not from
 * users: the copy must be filled when a membership is made and follow the person's own edits.
 */
describe('the members copy of a person', () => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await createApiHarness();
  });
  afterAll(async () => {
    await h.destroy();
  });

  it('is filled when a membership is made and follows a rename through Better Auth', async () => {
    const { member, admin } = h.tenantA.actors;
    const org = `/api/v1/orgs/${h.tenantA.organizationId}`;
    const [signedUp] = await h.test.db.query<{ name: string }>('select name from users where id = $1', [member.userId]);
    expect(signedUp?.name).toBeTruthy();

    const project = await (await h.request(admin, 'POST', `${org}/projects`, { name: 'People', key: 'PPL' })).json() as { id: string };
    const created = await h.request(admin, 'POST', `${org}/projects/${project.id}/tasks`, { title: 'Named', assigneeId: member.userId });
    expect(created.status).toBe(201);
    const taskId = ((await created.json()) as TaskBody).id;
    const read = async () => (await (await h.request(member, 'GET', `${org}/tasks/${taskId}`)).json()) as TaskBody;

    expect((await read()).assignee).toEqual({ id: member.userId, name: signedUp?.name, image: null });

    const renamed = await h.request(member, 'POST', '/api/auth/update-user', { name: 'Renamed Person', image: 'https://example.com/me.png' });
    expect(renamed.status).toBe(200);
    const after = await read();
    expect(after.assignee).toEqual({ id: member.userId, name: 'Renamed Person', image: 'https://example.com/me.png' });
    expect(after.reporter?.id).toBe(admin.userId);

    const list = (await (await h.request(member, 'GET', `${org}/projects/${project.id}/tasks`)).json()) as { items: TaskBody[] };
    expect(list.items.map((task) => task.assignee?.name)).toEqual(['Renamed Person']);
    // Every membership of the person follows, and nobody else's.
    const copies = await h.test.db.query<{ user_id: string; name: string; same: boolean }>(
      'select m.user_id, m.name, m.name = u.name and m.image is not distinct from u.image as same from members m join users u on u.id = m.user_id',
    );
    expect(copies.filter((row) => !row.same)).toEqual([]);
  });
});

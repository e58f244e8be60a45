import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../auth/permissions.js';
import { type Actor, type ApiHarness, createApiHarness } from '../../../test/support/api.js';

type Member = { id: string; userId: string; role: Role; name: string; email: string };

describe('members API', () => {
  let h: ApiHarness;
  let joined = 0;
  beforeAll(async () => {
    h = await createApiHarness();
  });
  afterAll(async () => {
    await h.destroy();
  });
  const path = (orgId: string, rest = '') => `/api/v1/orgs/${orgId}/members${rest}`;
  /** A new person in the organization; returns them and their membership id. */
  const join = async (organizationId: string, role: Role): Promise<Actor & { memberId: string }> => {
    const actor = await h.signUp(`joiner-${(joined += 1)}`);
    const [row] = await h.test.db.query<{ id: string }>(
      `insert into members (organization_id, user_id, role) values ($1, $2, $3) returning id`,
      [organizationId, actor.userId, role],
    );
    return { ...actor, memberId: row?.id ?? '' };
  };
  const roleOf = async (memberId: string) =>
    (await h.test.db.query<{ role: string }>(`select role from members where id = $1`, [memberId]))[0]?.role;

  it('lists the members with their names and emails, filtered and page by page', async () => {
    const { organizationId, actors } = h.tenantA;
    const response = await h.request(actors.viewer, 'GET', path(organizationId));
    expect(response.status).toBe(200);
    const { items } = (await response.json()) as { items: Member[] };
    expect(items.map((m) => m.email).sort()).toEqual(Object.values(actors).map((a) => a.email).sort());
    expect(items.find((m) => m.userId === actors.admin.userId)).toMatchObject({ role: 'admin', name: 'a-admin' });

    const admins = (await (await h.request(actors.viewer, 'GET', `${path(organizationId)}?role=admin`)).json()) as { items: Member[] };
    expect(admins.items.map((m) => m.userId)).toEqual([actors.admin.userId]);
    const first = (await (await h.request(actors.viewer, 'GET', `${path(organizationId)}?limit=3`)).json()) as { items: Member[]; nextCursor: string };
    const rest = (await (await h.request(actors.viewer, 'GET', `${path(organizationId)}?limit=3&cursor=${first.nextCursor}`)).json()) as {
      items: Member[];
    };
    expect([...first.items, ...rest.items].map((m) => m.id).sort()).toEqual(items.map((m) => m.id).sort());
  });

  it('names a person by their user id, never by a membership id', async () => {
    const { organizationId, actors } = h.tenantA;
    const person = await join(organizationId, 'member');
    const byMembership = await h.request(actors.admin, 'PATCH', path(organizationId, `/${person.memberId}`), { role: 'viewer' });
    expect(byMembership.status).toBe(404);
    const byUser = await h.request(actors.admin, 'PATCH', path(organizationId, `/${person.userId}`), { role: 'viewer' });
    expect(await byUser.json()).toMatchObject({ userId: person.userId, role: 'viewer' });
    expect((await h.request(actors.admin, 'DELETE', path(organizationId, `/${person.userId}`))).status).toBe(204);
    expect(await roleOf(person.memberId)).toBeUndefined();
  });

  it("lets admins change roles, but only owners touch the owner role", async () => {
    const { organizationId, actors } = h.tenantA;
    const person = await join(organizationId, 'member');
    const changed = await h.request(actors.admin, 'PATCH', path(organizationId, `/${person.userId}`), { role: 'viewer' });
    expect(changed.status).toBe(200);
    expect(await changed.json()).toMatchObject({ id: person.memberId, role: 'viewer', email: person.email });

    const promote = await h.request(actors.admin, 'PATCH', path(organizationId, `/${person.userId}`), { role: 'owner' });
    expect(promote.status).toBe(403);
    expect((await h.request(actors.admin, 'PATCH', path(organizationId, `/${actors.owner.userId}`), { role: 'admin' })).status).toBe(403);
    expect((await h.request(actors.member, 'PATCH', path(organizationId, `/${person.userId}`), { role: 'member' })).status).toBe(403);
    expect(await roleOf(person.memberId)).toBe('viewer');

    expect((await h.request(actors.owner, 'PATCH', path(organizationId, `/${person.userId}`), { role: 'owner' })).status).toBe(200);
    expect((await h.request(actors.owner, 'PATCH', path(organizationId, `/${person.userId}`), { role: 'member' })).status).toBe(200);
    expect(await roleOf(person.memberId)).toBe('member');
  });

  it('never lets the last owner go, even when two owners step down at once', async () => {
    const { organizationId, actors } = h.tenantB;
    const [owner] = await h.test.db.query<{ id: string }>(`select id from members where user_id = $1`, [actors.owner.userId]);
    const ownerId = owner?.id ?? '';
    const demote = await h.request(actors.owner, 'PATCH', path(organizationId, `/${actors.owner.userId}`), { role: 'admin' });
    expect(demote.status).toBe(409);
    expect(await demote.json()).toMatchObject({ error: { code: 'conflict' } });
    expect((await h.request(actors.owner, 'DELETE', path(organizationId, `/${actors.owner.userId}`))).status).toBe(409);

    // Two owners step down at the same moment, again and again: exactly one may succeed each time.
    const second = await join(organizationId, 'owner');
    for (let round = 0; round < 8; round += 1) {
      await h.test.db.query(`update members set role = 'owner' where id = any($1)`, [[ownerId, second.memberId]]);
      const both = await Promise.all([
        h.request(actors.owner, 'PATCH', path(organizationId, `/${actors.owner.userId}`), { role: 'admin' }),
        h.request(second, 'PATCH', path(organizationId, `/${second.userId}`), { role: 'admin' }),
      ]);
      expect(both.map((r) => r.status).sort()).toEqual([200, 409]);
      const owners = await h.test.db.query(`select id from members where organization_id = $1 and role = 'owner'`, [organizationId]);
      expect(owners).toHaveLength(1);
    }
  });

  it('lets admins remove people and anyone leave, but not an admin remove an owner', async () => {
    const { organizationId, actors } = h.tenantA;
    const removed = await join(organizationId, 'member');
    expect((await h.request(actors.viewer, 'DELETE', path(organizationId, `/${removed.userId}`))).status).toBe(403);
    expect((await h.request(actors.admin, 'DELETE', path(organizationId, `/${removed.userId}`))).status).toBe(204);
    expect(await roleOf(removed.memberId)).toBeUndefined();

    const leaving = await join(organizationId, 'viewer');
    expect((await h.request(leaving, 'DELETE', path(organizationId, `/${leaving.userId}`))).status).toBe(204);
    expect((await h.request(leaving, 'GET', path(organizationId))).status).toBe(404);

    const coOwner = await join(organizationId, 'owner');
    expect((await h.request(actors.admin, 'DELETE', path(organizationId, `/${coOwner.userId}`))).status).toBe(403);
    expect((await h.request(coOwner, 'DELETE', path(organizationId, `/${coOwner.userId}`))).status).toBe(204);
  });

  it('answers 401 without a session and rejects bad input naming the field, changing nothing', async () => {
    const { organizationId, actors } = h.tenantA;
    const person = await join(organizationId, 'member');
    expect((await h.request(null, 'GET', path(organizationId))).status).toBe(401);
    expect((await h.request(null, 'PATCH', path(organizationId, `/${person.userId}`), { role: 'admin' })).status).toBe(401);
    expect((await h.request(null, 'DELETE', path(organizationId, `/${person.userId}`))).status).toBe(401);

    const invalid = await h.request(actors.owner, 'PATCH', path(organizationId, `/${person.userId}`), { role: 'boss' });
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toMatchObject({ error: { code: 'validation_failed', details: [{ path: 'role' }] } });
    const extra = await h.request(actors.owner, 'PATCH', path(organizationId, `/${person.userId}`), { role: 'admin', userId: actors.owner.userId });
    expect(extra.status).toBe(400);
    expect((await h.request(actors.owner, 'GET', `${path(organizationId)}?role=boss`)).status).toBe(400);
    expect(await roleOf(person.memberId)).toBe('member');
  });

  it("answers 404 for another tenant's members and leaves them unchanged", async () => {
    const { organizationId } = h.tenantA;
    const person = await join(organizationId, 'member');
    const outsider = h.tenantB.actors.owner;
    const missing = await h.request(outsider, 'PATCH', path(h.tenantB.organizationId, `/${crypto.randomUUID()}`), { role: 'admin' });
    const viaOwnOrg = await h.request(outsider, 'PATCH', path(h.tenantB.organizationId, `/${person.userId}`), { role: 'admin' });
    const viaOtherOrg = await h.request(outsider, 'PATCH', path(organizationId, `/${person.userId}`), { role: 'admin' });
    const removeViaOwnOrg = await h.request(outsider, 'DELETE', path(h.tenantB.organizationId, `/${person.userId}`));
    expect([missing.status, viaOwnOrg.status, viaOtherOrg.status, removeViaOwnOrg.status]).toEqual([404, 404, 404, 404]);
    expect(await viaOwnOrg.json()).toEqual(await missing.json());
    expect(await roleOf(person.memberId)).toBe('member');
    const listed = (await (await h.request(outsider, 'GET', path(h.tenantB.organizationId))).json()) as { items: Member[] };
    expect(listed.items.map((m) => m.userId)).not.toContain(person.userId);
  });
});

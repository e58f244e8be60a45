import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiHarness, createApiHarness } from '../../../test/support/api.js';

type Invitation = { id: string; organizationId: string; email: string; role: string; status: string; expiresAt: string; inviterId: string };

describe('invitations API', () => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await createApiHarness();
  });
  afterAll(async () => {
    await h.destroy();
  });
  const path = (orgId: string, rest = '') => `/api/v1/orgs/${orgId}/invitations${rest}`;
  const accept = (id: string) => `/api/v1/invitations/${id}/accept`;
  let people = 0;
  /** Someone who has an account but belongs nowhere yet. */
  const newcomer = () => h.signUp(`newcomer-${(people += 1)}`);
  /** An invitation to tenant A, made by its admin. */
  const invite = async (email: string) => {
    const response = await h.request(h.tenantA.actors.admin, 'POST', path(h.tenantA.organizationId), { email });
    expect(response.status).toBe(201);
    return (await response.json()) as Invitation;
  };
  const statusOf = async (id: string) =>
    (await h.test.db.query<{ status: string }>(`select status from invitations where id = $1`, [id]))[0]?.status;

  it('lets an admin invite someone for 48 hours, and the invitee join with the invited role', async () => {
    const { organizationId, actors } = h.tenantA;
    const person = await newcomer();
    const response = await h.request(actors.admin, 'POST', path(organizationId), { email: person.email.toUpperCase(), role: 'viewer' });
    expect(response.status).toBe(201);
    const invitation = (await response.json()) as Invitation;
    expect(invitation).toMatchObject({ email: person.email, role: 'viewer', status: 'pending', inviterId: actors.admin.userId });
    const hours = (Date.parse(invitation.expiresAt) - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(47.9);
    expect(hours).toBeLessThanOrEqual(48);

    const listed = (await (await h.request(actors.admin, 'GET', `${path(organizationId)}?status=pending`)).json()) as { items: Invitation[] };
    expect(listed.items.map((i) => i.id)).toContain(invitation.id);

    const accepted = await h.request(person, 'POST', accept(invitation.id));
    expect(accepted.status).toBe(200);
    expect(await accepted.json()).toMatchObject({ id: invitation.id, status: 'accepted' });
    const [member] = await h.test.db.query(`select role from members where organization_id = $1 and user_id = $2`, [organizationId, person.userId]);
    expect(member).toEqual({ role: 'viewer' });
    expect((await h.request(person, 'GET', `/api/v1/orgs/${organizationId}`)).status).toBe(200);

    // Idempotent: a second click or tab answers the same and changes nothing.
    const again = await h.request(person, 'POST', accept(invitation.id));
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ id: invitation.id, status: 'accepted' });
    expect(await h.test.db.query(`select role from members where organization_id = $1 and user_id = $2`, [organizationId, person.userId])).toEqual([
      { role: 'viewer' },
    ]);
  });

  it('refuses invitations addressed to someone else (404), revoked or expired ones (409)', async () => {
    const { organizationId, actors } = h.tenantA;
    const person = await newcomer();
    const stranger = await newcomer();
    const invitation = await invite(person.email);

    const wrongPerson = await h.request(stranger, 'POST', accept(invitation.id));
    const missing = await h.request(stranger, 'POST', accept(crypto.randomUUID()));
    expect([wrongPerson.status, missing.status]).toEqual([404, 404]);
    expect(await wrongPerson.json()).toEqual(await missing.json());

    const revoked = await h.request(actors.admin, 'POST', path(organizationId, `/${invitation.id}/revoke`));
    expect(revoked.status).toBe(200);
    expect(await revoked.json()).toMatchObject({ status: 'canceled' });
    expect((await h.request(actors.admin, 'POST', path(organizationId, `/${invitation.id}/revoke`))).status).toBe(409);
    const afterRevoke = await h.request(person, 'POST', accept(invitation.id));
    expect(afterRevoke.status).toBe(409);
    expect(await afterRevoke.json()).toMatchObject({ error: { code: 'conflict', message: 'the invitation was revoked' } });

    const late = await invite(stranger.email);
    await h.test.db.query(`update invitations set expires_at = now() - interval '1 minute' where id = $1`, [late.id]);
    expect((await h.request(stranger, 'POST', accept(late.id))).status).toBe(409);
    const expired = (await (await h.request(actors.admin, 'GET', `${path(organizationId)}?status=expired`)).json()) as { items: Invitation[] };
    expect(expired.items).toEqual([expect.objectContaining({ id: late.id, status: 'expired' })]);
    expect(await h.test.db.query(`select id from members where user_id = any($1)`, [[person.userId, stranger.userId]])).toEqual([]);
  });

  it('refuses to invite a member or an invitee twice, and lets only owners invite owners', async () => {
    const { organizationId, actors } = h.tenantA;
    expect((await h.request(actors.admin, 'POST', path(organizationId), { email: actors.member.email })).status).toBe(409);
    const person = await newcomer();
    await invite(person.email);
    expect((await h.request(actors.admin, 'POST', path(organizationId), { email: person.email })).status).toBe(409);
    const owner = await newcomer();
    expect((await h.request(actors.admin, 'POST', path(organizationId), { email: owner.email, role: 'owner' })).status).toBe(403);
    expect((await h.request(actors.owner, 'POST', path(organizationId), { email: owner.email, role: 'owner' })).status).toBe(201);
  });

  it('counts open invitations against the member limit, even when inviters race', async () => {
    // Tenant B: four members on the free plan (ten members), so six seats.
    const { organizationId, actors } = h.tenantB;
    const attempts = await Promise.all(
      Array.from({ length: 8 }, (_, i) => h.request(actors.owner, 'POST', path(organizationId), { email: `seat-${i}@example.test` })),
    );
    const statuses = attempts.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(6);
    const refused = attempts.find((r) => r.status === 403);
    expect(await refused?.json()).toMatchObject({ error: { code: 'limit_exceeded', details: { limit: 10 } } });

    // A revoked invitation frees its seat.
    const [open] = await h.test.db.query<{ id: string }>(`select id from invitations where organization_id = $1 and status = 'pending' limit 1`, [organizationId]);
    expect((await h.request(actors.owner, 'POST', path(organizationId, `/${open?.id ?? ''}/revoke`))).status).toBe(200);
    expect((await h.request(actors.owner, 'POST', path(organizationId), { email: 'seat-late@example.test' })).status).toBe(201);
  });

  it('enforces the plan when accepting, in case the plan shrank since the invitation', async () => {
    const { organizationId } = h.tenantA;
    const person = await newcomer();
    const invitation = await invite(person.email);
    const members = (await h.test.db.query<{ n: number }>(`select count(*)::int as n from members where organization_id = $1`, [organizationId]))[0]?.n ?? 0;
    await h.test.db.query(`insert into subscription_plans (code, name, max_members) values ('tiny', 'Tiny', $1)`, [members]);
    await h.test.db.query(`delete from subscriptions where organization_id = $1`, [organizationId]);
    await h.test.db.query(
      `insert into subscriptions (organization_id, plan_id, status) select $1, id, 'active' from subscription_plans where code = 'tiny'`,
      [organizationId],
    );
    try {
      const refused = await h.request(person, 'POST', accept(invitation.id));
      expect(refused.status).toBe(403);
      expect(await refused.json()).toMatchObject({ error: { code: 'limit_exceeded' } });
      expect(await statusOf(invitation.id)).toBe('pending');
    } finally {
      await h.test.db.query(`delete from subscriptions where organization_id = $1`, [organizationId]);
    }
  });

  it('answers 401 without a session, 403 below admin, and rejects bad input naming the fields', async () => {
    const { organizationId, actors } = h.tenantA;
    const invitation = await invite((await newcomer()).email);
    expect((await h.request(null, 'POST', accept(invitation.id))).status).toBe(401);
    expect((await h.request(null, 'POST', path(organizationId), { email: 'x@example.test' })).status).toBe(401);
    expect((await h.request(null, 'GET', path(organizationId))).status).toBe(401);
    for (const actor of [actors.member, actors.viewer]) {
      expect((await h.request(actor, 'POST', path(organizationId), { email: 'nope@example.test' })).status).toBe(403);
      expect((await h.request(actor, 'GET', path(organizationId))).status).toBe(403);
      expect((await h.request(actor, 'POST', path(organizationId, `/${invitation.id}/revoke`))).status).toBe(403);
    }
    expect((await h.request(actors.admin, 'POST', accept('not-a-uuid'))).status).toBe(400);

    const before = await h.test.db.query('select id, status from invitations order by id');
    const invalid = await h.request(actors.admin, 'POST', path(organizationId), { email: 'not an email', role: 'king' });
    expect(invalid.status).toBe(400);
    const { error } = (await invalid.json()) as { error: { details: { path: string }[] } };
    expect(error.details.map((d) => d.path)).toEqual(expect.arrayContaining(['email', 'role']));
    expect((await h.request(actors.admin, 'POST', path(organizationId), { email: 'a@example.test', expiresAt: '2099-01-01' })).status).toBe(400);
    expect(await h.test.db.query('select id, status from invitations order by id')).toEqual(before);
  });

  it("answers 404 for another tenant's invitations and leaves them unchanged", async () => {
    const { organizationId } = h.tenantA;
    const invitation = await invite((await newcomer()).email);
    const outsider = h.tenantB.actors.owner;
    const viaOwnOrg = await h.request(outsider, 'POST', path(h.tenantB.organizationId, `/${invitation.id}/revoke`));
    const viaOtherOrg = await h.request(outsider, 'POST', path(organizationId, `/${invitation.id}/revoke`));
    const missing = await h.request(outsider, 'POST', path(h.tenantB.organizationId, `/${crypto.randomUUID()}/revoke`));
    expect([viaOwnOrg.status, viaOtherOrg.status, missing.status]).toEqual([404, 404, 404]);
    expect(await viaOwnOrg.json()).toEqual(await missing.json());
    expect((await h.request(outsider, 'POST', accept(invitation.id))).status).toBe(404);
    expect(await statusOf(invitation.id)).toBe('pending');
    const listed = (await (await h.request(outsider, 'GET', path(h.tenantB.organizationId))).json()) as { items: Invitation[] };
    expect(listed.items.map((i) => i.id)).not.toContain(invitation.id);
  });
});

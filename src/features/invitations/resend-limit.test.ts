import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiHarness, createApiHarness } from '../../../test/support/api.js';
import { withPlatform } from '../../db/tenant-context.js';
import { countRecentDeliveries } from '../../mail/deliveries.js';
import { RESEND_LIMITS } from './resend-limit.js';

type Invitation = { id: string; expiresAt: string };

describe('invitation resend limits', () => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await createApiHarness();
  });
  afterAll(async () => {
    await h.destroy();
  });

  const org = () => h.tenantA.organizationId;
  const invite = async (email: string) => {
    const response = await h.request(h.tenantA.actors.admin, 'POST', `/api/v1/orgs/${org()}/invitations`, { email, role: 'member' });
    expect(response.status).toBe(201);
    return (await response.json()) as Invitation;
  };
  const resend = (id: string, actor = h.tenantA.actors.admin) =>
    h.app.request(`/api/v1/orgs/${org()}/invitations/${id}/resend`, { method: 'POST', headers: { authorization: `Bearer ${actor.token}` } });
  const deliveries = async (email: string) =>
    Number((await h.test.db.query<{ n: string }>(`select count(*) as n from mail_deliveries where organization_id = $1 and recipient = $2`, [org(), email]))[0]?.n);

  it('sends at most 3 invitation mails to one address an hour: then 429 with Retry-After, writing nothing', async () => {
    const invitation = await invite('impatient@example.test');
    for (let i = 1; i < RESEND_LIMITS.perAddress; i++) expect((await resend(invitation.id)).status).toBe(200);
    const [before] = await h.test.db.query<{ expires_at: Date }>(`select expires_at from invitations where id = $1`, [invitation.id]);

    const limited = await resend(invitation.id);
    expect(limited.status).toBe(429);
    expect(await limited.json()).toMatchObject({ error: { code: 'rate_limited' } });
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(RESEND_LIMITS.windowSeconds - 120);
    expect(retryAfter).toBeLessThanOrEqual(RESEND_LIMITS.windowSeconds);
    // Another admin is held the same way: the limit is the address's, counted in the database.
    expect((await resend(invitation.id, h.tenantA.actors.owner)).status).toBe(429);

    const [after] = await h.test.db.query<{ expires_at: Date }>(`select expires_at from invitations where id = $1`, [invitation.id]);
    expect(after?.expires_at).toEqual(before?.expires_at);
    expect(await deliveries('impatient@example.test')).toBe(RESEND_LIMITS.perAddress);

    // An hour later the address may be mailed again.
    await h.test.db.query(`update mail_deliveries set created_at = created_at - interval '61 minutes' where organization_id = $1 and recipient = $2`, [
      org(),
      'impatient@example.test',
    ]);
    expect((await resend(invitation.id)).status).toBe(200);
  });

  it('lets one admin send at most 20 invitation mails an hour through resends; another admin is not held', async () => {
    const invitation = await invite('patient@example.test');
    const owner = h.tenantA.actors.owner;
    // The owner's last hour: 20 invitation mails to other addresses.
    await h.test.db.query(
      `insert into mail_deliveries (organization_id, id, job_id, template, recipient, subject, requested_by)
       select $1, gen_random_uuid(), gen_random_uuid(), 'invitation', 'x' || n || '@example.test', 'You are invited', $2
         from generate_series(1, $3::int) n`,
      [org(), owner.userId, RESEND_LIMITS.perAdmin],
    );
    const limited = await resend(invitation.id, owner);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
    expect((await resend(invitation.id, h.tenantA.actors.admin)).status).toBe(200);
  });

  it("never counts another organization's mail", async () => {
    const invitation = await invite('shared.address@example.test');
    await h.test.db.query(
      `insert into mail_deliveries (organization_id, id, job_id, template, recipient, subject, requested_by)
       select $1, gen_random_uuid(), gen_random_uuid(), 'invitation', 'shared.address@example.test', 'You are invited', $2
         from generate_series(1, 5)`,
      [h.tenantB.organizationId, h.tenantB.actors.admin.userId],
    );
    // The count's own filter, not only RLS: counted as the platform role, which bypasses RLS.
    const window = { template: 'invitation', withinSeconds: RESEND_LIMITS.windowSeconds, recipient: 'shared.address@example.test' };
    const counted = await withPlatform(h.test.db, {}, (tx) => countRecentDeliveries(tx, org(), window));
    expect(counted.count).toBe(1);
    expect((await resend(invitation.id)).status).toBe(200);
  });
});

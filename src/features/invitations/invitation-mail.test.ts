import { describe, expect, it } from 'vitest';
import type { Actor } from '../../../test/support/api.js';
import { apiWithMail } from '../../../test/support/smtp.js';

type Invitation = { id: string; organizationId: string; email: string; status: string; expiresAt: string };
type MyInvitations = { emailVerified: boolean; items: { id: string; organizationName: string; inviterName: string | null; role: string }[] };
type Delivery = { template: string; recipient: string; subject: string; status: string; attempts: number; sentAt: string | null };

describe('invitation mail, resend, the invitee list and accepting', () => {
  const t = apiWithMail();

  const path = (rest = '') => `/api/v1/orgs/${t.h.tenantA.organizationId}/invitations${rest}`;
  let people = 0;
  const newcomer = () => t.h.signUp(`invitee-${(people += 1)}`);
  const invite = async (email: string, role = 'member') => {
    const response = await t.h.request(t.h.tenantA.actors.admin, 'POST', path(), { email, role });
    expect(response.status).toBe(201);
    return (await response.json()) as Invitation;
  };
  const verify = (actor: Actor) => t.h.test.db.query(`update users set email_verified = true where id = $1`, [actor.userId]);
  const mine = async (actor: Actor) => (await (await t.h.request(actor, 'GET', '/api/v1/me/invitations')).json()) as MyInvitations;

  it('mails the invitee a link to {BASE_URL}/invitations/{id}, in both parts, and shows admins it was sent', async () => {
    const invitation = await invite('someone.new@example.test');
    await t.worker.runDue();
    expect(t.smtp.received).toHaveLength(1);
    const [mail] = t.smtp.received;
    const link = `http://localhost/invitations/${invitation.id}`;
    expect(mail?.to).toEqual(['someone.new@example.test']);
    expect(mail?.subject).toMatch(/^You are invited to join Org a on Tenantry$/);
    expect(mail?.text).toContain(`Accept the invitation: ${link}`);
    expect(mail?.text).toContain('a-admin invited you');
    expect(mail?.html).toContain(`href="${link}"`);

    const listed = await t.h.request(t.h.tenantA.actors.admin, 'GET', `/api/v1/orgs/${t.h.tenantA.organizationId}/mail-deliveries`);
    expect(listed.status).toBe(200);
    const { items } = (await listed.json()) as { items: Delivery[] };
    expect(items[0]).toMatchObject({ template: 'invitation', recipient: 'someone.new@example.test', subject: mail?.subject, status: 'sent', attempts: 1 });
    expect(items[0]?.sentAt).not.toBeNull();
    expect((await t.h.request(t.h.tenantA.actors.member, 'GET', `/api/v1/orgs/${t.h.tenantA.organizationId}/mail-deliveries`)).status).toBe(403);
    const other = (await (await t.h.request(t.h.tenantB.actors.owner, 'GET', `/api/v1/orgs/${t.h.tenantB.organizationId}/mail-deliveries`)).json()) as { items: Delivery[] };
    expect(other.items.map((d) => d.recipient)).not.toContain('someone.new@example.test');
  });

  it("writes in the invitee's language when they have an account", async () => {
    const person = await newcomer();
    await t.h.test.db.query(`update users set language = 'de' where id = $1`, [person.userId]);
    await t.worker.runDue();
    t.smtp.received.length = 0;
    await invite(person.email);
    await t.worker.runDue();
    expect(t.smtp.received.map((m) => m.subject)).toEqual(['Einladung zu Org a auf Tenantry']);
  });

  it('resends a pending or expired invitation for another 48 hours, and refuses a revoked or accepted one', async () => {
    const invitation = await invite('late.reader@example.test');
    await t.h.test.db.query(`update invitations set expires_at = now() - interval '1 hour' where id = $1`, [invitation.id]);
    const resent = await t.h.request(t.h.tenantA.actors.admin, 'POST', path(`/${invitation.id}/resend`));
    expect(resent.status).toBe(200);
    const renewed = (await resent.json()) as Invitation;
    expect(renewed.status).toBe('pending');
    expect((Date.parse(renewed.expiresAt) - Date.now()) / 3_600_000).toBeGreaterThan(47.9);
    await t.worker.runDue();
    expect(t.smtp.received.map((m) => m.to[0])).toEqual(['late.reader@example.test', 'late.reader@example.test']);
    expect(t.smtp.received.every((m) => m.text.includes(`/invitations/${invitation.id}`))).toBe(true);

    expect((await t.h.request(t.h.tenantA.actors.member, 'POST', path(`/${invitation.id}/resend`))).status).toBe(403);
    expect((await t.h.request(t.h.tenantB.actors.owner, 'POST', `/api/v1/orgs/${t.h.tenantB.organizationId}/invitations/${invitation.id}/resend`)).status).toBe(404);
    expect((await t.h.request(t.h.tenantA.actors.admin, 'POST', path(`/${invitation.id}/revoke`))).status).toBe(200);
    const revoked = await t.h.request(t.h.tenantA.actors.admin, 'POST', path(`/${invitation.id}/resend`));
    expect(revoked.status).toBe(409);
  });

  it('lets an unverified account accept through the link, lists invitations only for a verified address, and accepts idempotently', async () => {
    const person = await newcomer();
    const invitation = await invite(person.email, 'viewer');

    // Unverified: the list hands out no ids, but the id from the mail works.
    expect(await mine(person)).toEqual({ emailVerified: false, items: [] });
    await verify(person);
    const listed = await mine(person);
    expect(listed.emailVerified).toBe(true);
    expect(listed.items).toEqual([expect.objectContaining({ id: invitation.id, organizationName: 'Org a', inviterName: 'a-admin', role: 'viewer' })]);
    await t.h.test.db.query(`update users set email_verified = false where id = $1`, [person.userId]);

    const first = await t.h.request(person, 'POST', `/api/v1/invitations/${invitation.id}/accept`);
    const second = await t.h.request(person, 'POST', `/api/v1/invitations/${invitation.id}/accept`);
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(await second.json()).toMatchObject({ id: invitation.id, status: 'accepted' });
    const members = await t.h.test.db.query(`select role from members where organization_id = $1 and user_id = $2`, [t.h.tenantA.organizationId, person.userId]);
    expect(members).toEqual([{ role: 'viewer' }]);
    await verify(person);
    expect((await mine(person)).items).toEqual([]);
    expect((await t.h.request(null, 'GET', '/api/v1/me/invitations')).status).toBe(401);
  });

  it("never lists another address's invitations", async () => {
    const person = await newcomer();
    await verify(person);
    await invite(`not-${person.email}`);
    expect((await mine(person)).items).toEqual([]);
  });
});

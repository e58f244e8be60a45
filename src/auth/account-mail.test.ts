import { describe, expect, it } from 'vitest';
import { apiWithMail } from '../../test/support/smtp.js';
import { ACCOUNT_MAIL_PER_HOUR } from './account-mail.js';

describe('email verification and password reset mail', () => {
  const t = apiWithMail();

  const post = (path: string, body: unknown, token?: string) =>
    t.h.app.request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
  const signIn = (email: string, password: string) => post('/api/auth/sign-in/email', { email, password });

  it('mails a verification link on sign-up that verifies the address', async () => {
    const person = await t.h.signUp('verify-me');
    await t.worker.runDue();
    expect(t.smtp.received.map((m) => [m.to, m.subject])).toEqual([[[person.email], 'Confirm your email address for Tenantry']]);
    const link = /http:\/\/localhost\/api\/auth\/verify-email\?token=\S+/.exec(t.smtp.received[0]?.text ?? '')?.[0];
    expect(link).toBeDefined();
    expect(t.smtp.received[0]?.html).toContain(link?.replaceAll('&', '&amp;'));
    const verified = await t.h.app.request(new URL(link ?? '').pathname + new URL(link ?? '').search);
    expect(verified.status).toBeLessThan(400);
    const [user] = await t.h.test.db.query<{ email_verified: boolean }>(`select email_verified from users where id = $1`, [person.userId]);
    expect(user?.email_verified).toBe(true);
  });

  it('mails a reset link to {BASE_URL}/reset-password?token=… whose token sets a new password, in German for a German user', async () => {
    const person = await t.h.signUp('forgot');
    await t.h.test.db.query(`update users set language = 'de' where id = $1`, [person.userId]);
    await t.worker.runDue();
    t.smtp.received.length = 0;

    const asked = await post('/api/auth/request-password-reset', { email: person.email });
    expect(asked.status).toBe(200);
    await t.worker.runDue();
    const [mail] = t.smtp.received;
    expect(mail?.subject).toBe('Setzen Sie Ihr Tenantry-Passwort zurück');
    const token = /http:\/\/localhost\/reset-password\?token=([\w-]+)/.exec(mail?.text ?? '')?.[1];
    expect(token).toBeDefined();
    expect(mail?.html).toContain(`http://localhost/reset-password?token=${token}`);

    const reset = await post('/api/auth/reset-password', { token, newPassword: 'a brand new secret' });
    expect(reset.status).toBe(200);
    expect((await signIn(person.email, 'correct horse battery')).status).toBe(401);
    expect((await signIn(person.email, 'a brand new secret')).status).toBe(200);
    // A token works once.
    expect((await post('/api/auth/reset-password', { token, newPassword: 'yet another secret' })).status).toBe(400);
  });

  it('answers the same for unknown addresses and sends at most a few mails per address and hour', async () => {
    const unknown = await post('/api/auth/request-password-reset', { email: 'nobody-here@example.test' });
    expect(unknown.status).toBe(200);
    const person = await t.h.signUp('many-resets');
    await t.worker.runDue();
    t.smtp.received.length = 0;
    for (let i = 0; i < ACCOUNT_MAIL_PER_HOUR + 2; i++) {
      expect((await post('/api/auth/request-password-reset', { email: person.email })).status).toBe(200);
    }
    await t.worker.runDue();
    expect(t.smtp.received.map((m) => m.to[0])).toEqual(Array.from({ length: ACCOUNT_MAIL_PER_HOUR }, () => person.email));
  });
});

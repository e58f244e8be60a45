import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { useMigratedTestDatabase } from '../../test/support/migrated-database.js';
import { type TestSmtpServer, parseMail, startTestSmtpServer } from '../../test/support/smtp.js';
import { withPlatform, withTenant } from '../db/tenant-context.js';
import { type JobWorker, startJobWorker } from '../jobs/worker.js';
import { mailJobHandler } from './handler.js';
import { sendMail } from './send.js';
import { mailLocale, renderMail } from './templates.js';
import { outboxTransport, smtpTransport } from './transport.js';

const logger = pino({ level: 'silent' });
const FROM = 'Tenantry <no-reply@example.test>';

describe('mail through the queue to a real SMTP server', () => {
  const test = useMigratedTestDatabase();
  let smtp: TestSmtpServer;
  let worker: JobWorker;
  let organizationId: string;
  beforeAll(async () => {
    smtp = await startTestSmtpServer();
    worker = startJobWorker(test.db, logger, [mailJobHandler(smtpTransport(smtp.url), FROM)], { start: false, retryDelayMs: () => 0 });
    const [org] = await test.db.query<{ id: string }>(`insert into organizations (name, slug) values ('Acme', 'acme-mail') returning id`);
    organizationId = org?.id ?? '';
  });
  afterAll(async () => {
    await worker.stop();
    await smtp.close();
  });
  beforeEach(() => {
    smtp.received.length = 0;
  });

  const link = 'http://localhost:3000/invitations/0190a4f2-0000-7000-8000-000000000001?from=mail&x=1';
  const invitation = (to: string, language = 'en') =>
    withTenant(test.db, { organizationId }, (tx) =>
      sendMail(tx, {
        to,
        template: 'invitation',
        organizationId,
        ...renderMail('invitation', mailLocale(language), {
          organizationName: 'Acme Ltd',
          inviterName: 'Ada Admin',
          role: 'member',
          link,
          expiresAt: new Date('2026-12-24T10:00:00Z'),
        }),
      }),
    );
  const delivery = async (jobId: string) =>
    (
      await test.db.query<{ status: string; attempts: number; last_error: string | null; sent_at: Date | null; recipient: string }>(
        `select status, attempts, last_error, sent_at, recipient from mail_deliveries where job_id = $1`,
        [jobId],
      )
    )[0];

  it('delivers subject, sender, recipient and both parts with the link, and records it as sent', async () => {
    const jobId = await invitation('invitee@example.test');
    expect(smtp.received).toEqual([]);
    expect(await delivery(jobId)).toMatchObject({ status: 'queued', attempts: 0 });
    await worker.runDue();

    expect(smtp.received).toHaveLength(1);
    const [mail] = smtp.received;
    expect(mail).toMatchObject({ from: 'no-reply@example.test', to: ['invitee@example.test'], subject: 'You are invited to join Acme Ltd on Tenantry' });
    expect(mail?.text).toContain(`Accept the invitation: ${link}`);
    expect(mail?.text).toContain('Ada Admin invited you to join Acme Ltd on Tenantry as member.');
    expect(mail?.html).toContain(`<a href="${link.replaceAll('&', '&amp;')}"`);
    expect(mail?.html).toContain('Accept the invitation</a>');
    expect(await delivery(jobId)).toMatchObject({ status: 'sent', attempts: 1, last_error: null, recipient: 'invitee@example.test' });
    expect((await delivery(jobId))?.sent_at).toBeInstanceOf(Date);
    // The body, with its link, does not stay in the queue once sent.
    const [job] = await test.db.query<{ payload: Record<string, unknown> }>(`select payload from jobs where id = $1`, [jobId]);
    expect(Object.keys(job?.payload ?? {}).sort()).toEqual(['delivery', 'subject', 'template', 'to']);
  });

  it("writes in the recipient's language", async () => {
    await invitation('eingeladen@example.test', 'de-AT');
    await worker.runDue();
    const [mail] = smtp.received;
    expect(mail?.subject).toBe('Einladung zu Acme Ltd auf Tenantry');
    expect(mail?.text).toContain('Ada Admin hat Sie eingeladen, Acme Ltd auf Tenantry als member beizutreten.');
    expect(mail?.text).toContain('24. Dezember 2026');
    expect(mail?.html).toContain('Einladung annehmen</a>');
    const reset = renderMail('reset-password', 'de', { name: 'Jörg', link });
    expect(reset.subject).toBe('Setzen Sie Ihr Tenantry-Passwort zurück');
  });

  it('retries after a 4xx reply, fails at once on a 5xx, and retries when the server is unreachable', async () => {
    smtp.refuseNext(1, 451);
    const later = await invitation('later@example.test');
    await worker.runDue();
    // retryDelayMs is 0, so the same pass takes the retry and delivers it.
    expect(await delivery(later)).toMatchObject({ status: 'sent', attempts: 2 });
    expect(smtp.received.map((m) => m.to)).toEqual([['later@example.test']]);

    smtp.refuseNext(1, 550);
    const never = await invitation('nobody@example.test');
    await worker.runDue();
    const rejected: unknown = expect.stringContaining('550');
    expect(await delivery(never)).toMatchObject({ status: 'failed', attempts: 1, last_error: rejected });

    const down = startJobWorker(test.db, logger, [mailJobHandler(smtpTransport('smtp://127.0.0.1:1'), FROM)], {
      start: false,
      retryDelayMs: () => 3_600_000,
    });
    const unreachable = await invitation('unreachable@example.test');
    await down.runDue();
    const refused: unknown = expect.stringContaining('ECONNREFUSED');
    expect(await delivery(unreachable)).toMatchObject({ status: 'retrying', attempts: 1, last_error: refused });
    await test.db.query(`update jobs set run_at = now() where id = $1`, [unreachable]);
    await worker.runDue();
    expect(await delivery(unreachable)).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('never sends twice a mail that was being handed to SMTP when its worker died', async () => {
    // The SMTP server takes the message but holds its reply; meanwhile the worker's lease
    // lapses, as if its process had died at that moment, and another worker sweeps.
    const held = smtp.holdNext();
    const jobId = await invitation('once@example.test');
    const dying = startJobWorker(test.db, logger, [mailJobHandler(smtpTransport(smtp.url), FROM)], { start: false, leaseMs: 200 });
    const dyingPass = dying.runDue();
    await held.arrived;
    expect(await delivery(jobId)).toMatchObject({ status: 'sending', attempts: 1 });
    await new Promise((resolve) => setTimeout(resolve, 300));

    await worker.runDue();
    const givenUp: unknown = expect.stringContaining('cannot be sent twice');
    expect(await delivery(jobId)).toMatchObject({ status: 'failed', last_error: givenUp });
    // The server's reply comes after all: it was delivered once, and the record says so.
    held.release();
    await dyingPass;
    expect(smtp.received.map((m) => m.to)).toEqual([['once@example.test']]);
    expect(await delivery(jobId)).toMatchObject({ status: 'sent', last_error: null });
  });

  it('writes account mail (no organization) without a delivery record', async () => {
    const jobId = await withPlatform(test.db, {}, (tx) =>
      sendMail(tx, { to: 'me@example.test', template: 'verify-email', ...renderMail('verify-email', 'en', { name: 'Me', link }) }),
    );
    await worker.runDue();
    expect(smtp.received.map((m) => m.subject)).toEqual(['Confirm your email address for Tenantry']);
    expect(await delivery(jobId)).toBeUndefined();
  });
});

describe('outbox mode', () => {
  it('writes each mail to a .eml file and prints its links', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tenantry-outbox-'));
    const lines: string[] = [];
    const outbox = outboxTransport(join(dir, 'outbox'), (line) => lines.push(line));
    const rendered = renderMail('reset-password', 'en', { name: 'Ada', link: 'http://localhost:3000/reset-password?token=abc' });
    await outbox.send({ from: FROM, to: 'ada@example.test', ...rendered }, 'job-1');
    const [file] = readdirSync(join(dir, 'outbox'));
    expect(file).toBe('job-1.eml');
    const parsed = parseMail(readFileSync(join(dir, 'outbox', 'job-1.eml'), 'utf8'));
    expect(parsed.subject).toBe('Reset your Tenantry password');
    expect(parsed.text).toContain('Choose a new password: http://localhost:3000/reset-password?token=abc');
    expect(lines.join('\n')).toContain('http://localhost:3000/reset-password?token=abc');
    expect(lines.join('\n')).toContain('Mail to ada@example.test: Reset your Tenantry password');
  });
});

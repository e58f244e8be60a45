/**
 * `sendMail`: the one way code sends mail. It never talks to SMTP; it enqueues a `mail.send`
 * job in the caller's transaction (src/jobs/queue.ts), so a request never waits for, or fails
 * because of, a mail server, and the mail exists exactly when the change that caused it
 * committed. The worker's handler (handler.ts) sends it.
 *
 * @example
 * await sendMail(tx, {
 *   to: invitation.email,
 *   template: 'invitation',
 *   organizationId, // records it in the organization's mail_deliveries, for its admins
 *   ...renderMail('invitation', mailLocale(language), vars),
 * });
 */
import { and, count, eq, gt, sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { z } from 'zod';
import { jobs } from '../db/schema/index.js';
import type { Tx } from '../db/tenant-context.js';
import { enqueueJob } from '../jobs/queue.js';
import { insertDelivery } from './deliveries.js';
import type { RenderedMail } from './templates.js';

export const MAIL_JOB_KIND = 'mail.send';

/** The mail job's payload: the rendered message, and where its delivery record lives. */
export const MailPayload = z.object({
  to: z.string().min(3),
  subject: z.string(),
  text: z.string(),
  html: z.string(),
  links: z.array(z.string()),
  template: z.string(),
  delivery: z.object({ organizationId: z.uuid(), id: z.uuid() }).nullable(),
});
export type MailPayload = z.infer<typeof MailPayload>;

export type OutgoingMail = RenderedMail & {
  to: string;
  /** The template's name, shown to admins. */
  template: string;
  /**
   * The organization the mail is about. Its admins see the delivery; the caller's transaction
   * must be that organization's (withTenant) or a platform one. Account mail (verification,
   * reset) belongs to no organization.
   */
  organizationId?: string;
  /** The user whose action queued it (an admin's resend), recorded with the delivery. */
  requestedBy?: string;
};

/** Queues one mail in `tx`; it is sent after commit, retried on failure. Returns the job id. */
export async function sendMail(tx: Tx, mail: OutgoingMail): Promise<string> {
  const delivery = mail.organizationId ? { organizationId: mail.organizationId, id: uuidv7() } : null;
  const payload: MailPayload = {
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    links: mail.links,
    template: mail.template,
    delivery,
  };
  const jobId = await enqueueJob(tx, { kind: MAIL_JOB_KIND, payload, maxAttempts: 6 });
  if (delivery) {
    await insertDelivery(tx, delivery.organizationId, {
      id: delivery.id,
      jobId,
      template: mail.template,
      recipient: mail.to,
      subject: mail.subject,
      requestedBy: mail.requestedBy ?? null,
    });
  }
  return jobId;
}

/** Mail of one template to one address queued in the last `withinMs` (platform transactions only). */
export async function countRecentMail(tx: Tx, to: string, template: string, withinMs: number): Promise<number> {
  const [row] = await tx
    .select({ n: count() })
    .from(jobs)
    .where(
      and(
        eq(jobs.kind, MAIL_JOB_KIND),
        sql`lower(${jobs.payload} ->> 'to') = lower(${to})`,
        eq(sql`${jobs.payload} ->> 'template'`, template),
        gt(jobs.createdAt, sql`now() - make_interval(secs => ${withinMs / 1000})`),
      ),
    );
  return row?.n ?? 0;
}

import { type JobHandler, type JobOutcome, PermanentJobError, dropPayloadFields } from '../jobs/queue.js';
import { updateDelivery } from './deliveries.js';
import { MAIL_JOB_KIND, MailPayload } from './send.js';
import type { MailTransport } from './transport.js';

/** Failures that certainly happened before the message left: no server reply, and nothing sent. */
const BEFORE_DATA = new Set(['EDNS', 'ETLS', 'EAUTH', 'ENOAUTH', 'EOAUTH2', 'ECONFIG', 'EREQUIRETLS', 'EENVELOPE']);
const REFUSED_CONNECTION = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

type SmtpError = { responseCode?: unknown; code?: unknown; originalCode?: unknown };

/**
 * Whether a failed send may be retried without risking a second copy. A server reply is
 * definite: 4xx means try later, 5xx means never. Without a reply, only errors that cannot
 * happen after the message data went out are retried; a timeout or a dropped connection could
 * have come after the server took the message, so that mail fails instead (admins see it).
 */
export function retryableSendError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { responseCode, code, originalCode } = error as SmtpError;
  if (typeof responseCode === 'number') return responseCode >= 400 && responseCode < 500;
  return (typeof code === 'string' && BEFORE_DATA.has(code)) || (typeof originalCode === 'string' && REFUSED_CONNECTION.has(originalCode));
}

const deliveryStatus = { done: 'sent', retrying: 'retrying', failed: 'failed' } as const;

/** The `mail.send` job: marks the point of no return, hands the message over, records the outcome. */
export function mailJobHandler(transport: MailTransport, from: string): JobHandler<MailPayload> {
  return {
    kind: MAIL_JOB_KIND,
    payload: MailPayload,
    run: async (mail, ctx) => {
      await ctx.markSending();
      try {
        await transport.send({ from, to: mail.to, subject: mail.subject, text: mail.text, html: mail.html, links: mail.links }, ctx.jobId);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        if (retryableSendError(error)) throw new Error(message);
        throw new PermanentJobError(message);
      }
    },
    onSending: async (tx, mail, { attempt }) => {
      if (mail.delivery) await updateDelivery(tx, mail.delivery.organizationId, mail.delivery.id, { status: 'sending', attempts: attempt });
    },
    onSettled: async (tx, mail, outcome: JobOutcome, { jobId, attempt }) => {
      // Once sent or given up, the body (which may hold a one-time link) leaves the job row.
      if (outcome.status !== 'retrying') await dropPayloadFields(tx, jobId, ['text', 'html', 'links']);
      if (!mail.delivery) return;
      await updateDelivery(tx, mail.delivery.organizationId, mail.delivery.id, {
        status: deliveryStatus[outcome.status],
        attempts: attempt,
        lastError: outcome.status === 'done' ? null : outcome.error,
        sent: outcome.status === 'done',
      });
    },
  };
}

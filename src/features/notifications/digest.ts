/**
 * Email digests: a person who chose email for a type gets one mail for everything that arrived
 * within DIGEST_DELAY_MS of the first, not one per notification. The first notification waiting
 * for email schedules a `notifications.digest` job that far ahead (in the statement that tells,
 * tell-in-one-trip.ts); when it runs it takes every waiting notification of that person at once
 * and queues one mail (src/mail) in the same transaction, so a crash or a second job finds
 * nothing left to send twice.
 */
import { z } from 'zod';
import type { Database } from '../../db/connection.js';
import type { NotificationType } from '../../db/schema/index.js';
import { withPlatform, withTenant } from '../../db/tenant-context.js';
import type { JobHandler } from '../../jobs/queue.js';
import { sendMail } from '../../mail/send.js';
import { type MailLocale, mailLocale, renderContent } from '../../mail/templates.js';
import * as repository from './repository.js';

export const DIGEST_JOB_KIND = 'notifications.digest';
/** How long a digest waits for more notifications after the first. */
export const DIGEST_DELAY_MS = 5 * 60_000;

const SYSTEM = 'system:notification-digest';

const DigestPayload = z.object({ organizationId: z.uuid(), userId: z.uuid() });
type DigestPayload = z.infer<typeof DigestPayload>;

/** The worker's handler for digests; `baseUrl` makes the inbox link. */
export function digestJobHandler(db: Database, baseUrl: string): JobHandler<DigestPayload> {
  return {
    kind: DIGEST_JOB_KIND,
    payload: DigestPayload,
    run: async (payload) => {
      await sendDigest(db, baseUrl, payload);
    },
  };
}

/** Takes what waits for email and queues one mail of it; nothing when nothing waits (already sent). */
export async function sendDigest(db: Database, baseUrl: string, { organizationId, userId }: DigestPayload): Promise<number> {
  const locale = mailLocale(await withPlatform(db, { requestId: SYSTEM }, (tx) => repository.userLanguage(tx, userId)));
  return withTenant(db, { organizationId, requestId: SYSTEM }, async (tx) => {
    const items = await repository.takeEmailPending(tx, organizationId, userId);
    const recipient = await repository.digestRecipient(tx, organizationId, userId);
    // A person who left the organization keeps no inbox (their rows cascade away): nothing to say.
    if (items.length === 0 || !recipient) return 0;
    const link = `${baseUrl.replace(/\/$/, '')}/${recipient.organization_slug}/inbox`;
    const lines = items.map((item) => lineOf(locale, item));
    await sendMail(tx, {
      to: recipient.email,
      template: 'notification-digest',
      organizationId,
      ...renderContent({
        subject: WORDS[locale].subject(items.length, recipient.organization_name),
        paragraphs: [WORDS[locale].greeting(recipient.name), ...lines],
        action: { label: WORDS[locale].action, url: link },
        footer: WORDS[locale].footer,
      }),
    });
    return items.length;
  });
}

type DigestItem = Awaited<ReturnType<typeof repository.takeEmailPending>>[number];

function lineOf(locale: MailLocale, item: DigestItem): string {
  const who = item.actorName ?? WORDS[locale].someone;
  const what = WORDS[locale].types[item.type];
  const task = item.taskRef ? ` ${item.taskRef} ${item.taskTitle ?? ''}`.trimEnd() : '';
  return `• ${who} ${what}${task}`;
}

const WORDS: Record<
  MailLocale,
  { subject(count: number, organization: string): string; greeting(name: string): string; someone: string; action: string; footer: string; types: Record<NotificationType, string> }
> = {
  en: {
    subject: (count, organization) => `${count} new ${count === 1 ? 'notification' : 'notifications'} in ${organization}`,
    greeting: (name) => `Hello ${name}, here is what happened:`,
    someone: 'Someone',
    action: 'Open your inbox',
    footer: 'You get these because you chose email for them. Change it under Inbox, notification preferences.',
    types: {
      assigned: 'assigned you',
      mentioned: 'mentioned you in',
      commented: 'commented on',
      status_changed: 'changed the status of',
      sprint_started: 'started a sprint',
      sprint_completed: 'completed a sprint',
      invitation_accepted: 'accepted your invitation',
    },
  },
  de: {
    subject: (count, organization) => `${count} neue ${count === 1 ? 'Benachrichtigung' : 'Benachrichtigungen'} in ${organization}`,
    greeting: (name) => `Hallo ${name}, das ist passiert:`,
    someone: 'Jemand',
    action: 'Posteingang öffnen',
    footer: 'Sie erhalten diese E-Mail, weil Sie E-Mail dafür gewählt haben. Ändern Sie das im Posteingang unter den Benachrichtigungseinstellungen.',
    types: {
      assigned: 'hat Ihnen zugewiesen:',
      mentioned: 'hat Sie erwähnt in',
      commented: 'hat kommentiert:',
      status_changed: 'hat den Status geändert von',
      sprint_started: 'hat einen Sprint gestartet',
      sprint_completed: 'hat einen Sprint abgeschlossen',
      invitation_accepted: 'hat Ihre Einladung angenommen',
    },
  },
};

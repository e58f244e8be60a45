import { eq } from 'drizzle-orm';
import type { Database } from '../db/connection.js';
import { users } from '../db/schema/index.js';
import { withPlatform } from '../db/tenant-context.js';
import { countRecentMail, sendMail } from '../mail/send.js';
import { mailLocale, renderMail } from '../mail/templates.js';

/** Per address and template, across every server process: more in an hour are dropped silently. */
export const ACCOUNT_MAIL_PER_HOUR = 3;

/**
 * Better Auth's verification and reset hooks: queue the mail in the user's language. Silent
 * when the address had its hourly share already, so the answer (always Better Auth's generic
 * one) tells no one whether an account exists or how often it was asked for.
 */
export async function queueAccountMail(
  db: Database,
  user: { id: string; email: string; name: string },
  template: 'verify-email' | 'reset-password',
  link: string,
): Promise<void> {
  await withPlatform(db, { userId: user.id, requestId: `auth:${template}` }, async (tx) => {
    if ((await countRecentMail(tx, user.email, template, 60 * 60 * 1000)) >= ACCOUNT_MAIL_PER_HOUR) return;
    const [row] = await tx.select({ language: users.language }).from(users).where(eq(users.id, user.id));
    await sendMail(tx, { to: user.email, template, ...renderMail(template, mailLocale(row?.language), { name: user.name, link }) });
  });
}

import type { Tx } from '../../db/tenant-context.js';
import { RateLimited } from '../../errors.js';
import { countRecentDeliveries } from '../../mail/deliveries.js';

/**
 * Invitation mails allowed per hour: to one address (the first mail counts, so two resends),
 * so nobody's inbox can be flooded from an admin's button; and per admin (invitations and resends), across the
 * organization's invitations.
 */
export const RESEND_LIMITS = { perAddress: 3, perAdmin: 20, windowSeconds: 60 * 60 } as const;

/**
 * Refuses a resend with `429 rate_limited` and `Retry-After` when either limit holds. It counts
 * the organization's mail deliveries, which are rows in PostgreSQL, so every server process
 * sees the same count; the caller holds the organization's member-limit lock, so two resends
 * at once are counted one after the other.
 */
export async function assertResendAllowed(tx: Tx, organizationId: string, resend: { email: string; userId: string }): Promise<void> {
  const window = RESEND_LIMITS.windowSeconds;
  const checks = [
    { max: RESEND_LIMITS.perAddress, what: 'invitation mails to this address', filter: { recipient: resend.email } },
    { max: RESEND_LIMITS.perAdmin, what: 'invitation mails sent by you', filter: { requestedBy: resend.userId } },
  ];
  for (const check of checks) {
    const recent = await countRecentDeliveries(tx, organizationId, { template: 'invitation', withinSeconds: window, ...check.filter });
    if (recent.count >= check.max) {
      const freesAt = (recent.oldest?.getTime() ?? Date.now()) + window * 1000;
      throw new RateLimited(`${check.max} ${check.what} an hour at most; try again later`, (freesAt - Date.now()) / 1000);
    }
  }
}

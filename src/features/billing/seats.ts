/**
 * Seats kept equal to members (BILLING_MODE=stripe): adding or removing a member enqueues a
 * `billing.sync-seats` job in the same transaction, and the job sets the Stripe subscription's
 * quantity to the member count after commit, so a request never waits for Stripe and a Stripe
 * outage only delays the change (the job is retried with backoff).
 */
import { z } from 'zod';
import type { Database } from '../../db/connection.js';
import { type Tx, withTenant } from '../../db/tenant-context.js';
import { type JobHandler, enqueueJob } from '../../jobs/queue.js';
import type { BillingConfig } from './config.js';
import * as repository from './repository.js';
import { syncSeats } from './service.js';

export const SEATS_JOB_KIND = 'billing.sync-seats';

const SeatsPayload = z.object({ organizationId: z.uuid() });
type SeatsPayload = z.infer<typeof SeatsPayload>;

/** In the transaction that added or removed a member: only an organization paying through Stripe gets a job. */
export async function afterMembershipChanged(tx: Tx, organizationId: string): Promise<void> {
  const current = await repository.findStripeSubscription(tx, organizationId);
  if (!current?.providerSubscriptionId) return;
  await enqueueJob(tx, { kind: SEATS_JOB_KIND, payload: { organizationId } satisfies SeatsPayload, maxAttempts: 10 });
}

/**
 * The worker's handler. In `none` mode nothing is charged, so a job (queued while Stripe was
 * configured, or for a subscription imported from it) finishes without calling anyone.
 */
export function seatsJobHandler(db: Database, billing: BillingConfig): JobHandler<SeatsPayload> {
  return {
    kind: SEATS_JOB_KIND,
    payload: SeatsPayload,
    run: async ({ organizationId }) => {
      if (billing.mode !== 'stripe') return;
      await withTenant(db, { organizationId, requestId: 'system:billing-seats' }, (tx) => syncSeats(tx, billing.stripe, organizationId));
    },
  };
}

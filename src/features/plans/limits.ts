import { type Placeholder, type SQL, sql } from 'drizzle-orm';
import type { Tx } from '../../db/tenant-context.js';
import { TenantryError } from '../../errors.js';
import { assertInGoodStanding } from './standing.js';
import { rowsOf } from '../../db/rows.js';

/** The plan column that caps each resource (NULL means unlimited). */
const LIMIT_COLUMN = { members: 'max_members', projects: 'max_projects', tasks: 'max_tasks' } as const;

export type LimitedResource = keyof typeof LIMIT_COLUMN;

type Row = Record<string, unknown>;
/** Every resource a plan meters, in the order `lockAllLimits` takes their locks. */
const METERED = ['members', 'projects', 'tasks', 'storage'] as const;

/** The key of the transaction lock that queues creators of one resource of one organization. */
export const limitLockKey = (organizationId: string, resource: (typeof METERED)[number]) => `limit:${resource}:${organizationId}`;

/** Takes the lock of `limitLockKey` (a statement, so that a one-trip write can send it too). */
export const takeLimitLock = (key: string | Placeholder): SQL => sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`;

export async function lockLimit(tx: Tx, organizationId: string, resource: (typeof METERED)[number]): Promise<void> {
  await tx.execute(takeLimitLock(limitLockKey(organizationId, resource)));
}

/**
 * Takes every limit lock of the organization, so a plan change measures usage that no
 * creator can grow before it commits. Always in one order, and creators take one lock each,
 * so this cannot deadlock with them.
 */
export async function lockAllLimits(tx: Tx, organizationId: string): Promise<void> {
  for (const resource of METERED) await lockLimit(tx, organizationId, resource);
}

/**
 * Refuses with 402 while the subscription is past due or canceled (`assertInGoodStanding`), and
 * refuses to add `adding` more of a resource past the organization's plan limit. A transaction
 * lock per organization and resource serialises concurrent creators, so two requests racing
 * for the last slot cannot both win; the lock ends with the caller's transaction.
 */
export async function assertWithinLimit(tx: Tx, organizationId: string, resource: LimitedResource, adding = 1): Promise<void> {
  await lockLimit(tx, organizationId, resource);
  await assertInGoodStanding(tx, organizationId);
  const [plan] = rowsOf<Row>(await tx.execute(planLimit(resource, organizationId)));
  const limit = plan?.limit === null || plan?.limit === undefined ? null : Number(plan.limit);
  if (limit === null) return;
  const [used] = rowsOf<Row>(await tx.execute(countQuery(resource, organizationId)));
  const count = Number(used?.count ?? 0);
  if (count + adding > limit) {
    throw new TenantryError('limit_exceeded', `the plan allows ${limit} ${resource}; ${count} exist`, { resource, limit, used: count });
  }
}

/**
 * `assertWithinLimit`'s condition (after the standing, which is asked apart) as SQL, for a
 * check sent with the write; the caller takes the limit's lock first, in the same transaction.
 * Nothing is counted when the plan has no limit.
 */
export function withinLimit(resource: LimitedResource, organizationId: string | Placeholder, adding: number | Placeholder): SQL {
  const limit = planLimit(resource, organizationId);
  return sql`(case when (${limit}) is null then true else (${countQuery(resource, organizationId)}) + ${adding}::int <= (${limit}) end)`;
}

/** The plan's cap on `resource` for the organization (a row with a NULL limit when unlimited). */
function planLimit(resource: LimitedResource, organizationId: string | Placeholder): SQL {
  // A fixed column name from the map above, never user input.
  const limitColumn = sql.raw(LIMIT_COLUMN[resource]);
  return sql`
      select p.${limitColumn} as "limit"
        from subscription_plans p
        left join subscriptions s
          on s.plan_id = p.id and s.organization_id = ${organizationId}
         and s.status in ('trialing', 'active', 'past_due')
       where s.id is not null or (p.code = 'free' and not exists (
               select from subscriptions x where x.organization_id = ${organizationId}
                  and x.status in ('trialing', 'active', 'past_due')))
       order by s.id is null
       limit 1`;
}

function countQuery(resource: LimitedResource, organizationId: string | Placeholder) {
  switch (resource) {
    case 'members':
      return sql`select count(*) as count from members where organization_id = ${organizationId}`;
    case 'projects':
      return sql`select count(*) as count from projects where organization_id = ${organizationId} and deleted_at is null`;
    case 'tasks':
      return sql`select count(*) as count from tasks where organization_id = ${organizationId} and deleted_at is null`;
  }
}

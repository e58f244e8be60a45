import { type SQL, sql } from 'drizzle-orm';
import { rowsOf } from '../../db/rows.js';
import type { Tx } from '../../db/tenant-context.js';
import { TenantryError } from '../../errors.js';

const numberOrNull = (value: unknown) => (value === null || value === undefined ? null : Number(value));

export type Budget = {
  /** The first day of the current UTC month, `2026-12-01`. */
  month: string;
  /** The budget in force: the smaller of the organization's and the plan's; null when neither sets one. */
  budget: number | null;
  organizationBudget: number | null;
  planBudget: number | null;
  used: number;
  reserved: number;
};

/** The first day of the transaction's UTC month, as a date: the month tokens are counted in. */
const THIS_MONTH = sql`date_trunc('month', now() at time zone 'UTC')::date`;

/** `settings.ai.monthlyTokenBudget` of the organization, or null. */
const organizationBudget = (organizationId: string) =>
  sql`(select (o.settings -> 'ai' ->> 'monthlyTokenBudget')::bigint from organizations o where o.id = ${organizationId})`;

/** The plan's monthly tokens, or null: the live subscription's plan, else Free, as for every other plan limit. */
const planBudget = (organizationId: string) => sql`(
  select p.max_ai_tokens_per_month from subscription_plans p
   where p.id = coalesce(
           (select s.plan_id from subscriptions s
             where s.organization_id = ${organizationId} and s.status in ('trialing', 'active', 'past_due') limit 1),
           (select f.id from subscription_plans f where f.code = 'free')))`;

/** The month's budget and how much of it is used and held. */
export async function readBudget(tx: Tx, organizationId: string): Promise<Budget> {
  const [row] = rowsOf<Record<string, unknown>>(
    await tx.execute(sql`
      select to_char(${THIS_MONTH}, 'YYYY-MM-DD') as month,
             ${organizationBudget(organizationId)} as organization_budget,
             ${planBudget(organizationId)} as plan_budget,
             u.used_tokens as used, u.reserved_tokens as reserved
        from (select) one
        left join ai_token_usage u on u.organization_id = ${organizationId} and u.month = ${THIS_MONTH}`),
  );
  const organization = numberOrNull(row?.organization_budget);
  const plan = numberOrNull(row?.plan_budget);
  const budgets = [organization, plan].filter((value) => value !== null);
  return {
    month: String(row?.month),
    budget: budgets.length ? Math.min(...budgets) : null,
    organizationBudget: organization,
    planBudget: plan,
    used: Number(row?.used ?? 0),
    reserved: Number(row?.reserved ?? 0),
  };
}

/** The refusal of a reservation that did not fit, with the month as it stands now. */
export async function refusal(tx: Tx, organizationId: string, tokens: number): Promise<TenantryError> {
  const now = await readBudget(tx, organizationId);
  return new TenantryError(
    'limit_exceeded',
    `the monthly AI token budget is ${now.budget}: ${now.used} used and ${now.reserved} reserved leave too little for this call's ${tokens}`,
    { resource: 'ai_tokens', limit: now.budget, used: now.used, reserved: now.reserved, requested: tokens },
  );
}

/**
 * The bookkeeping around each generation, as SQL that rides in the generation's own statements
 * (repository.ts), so that it costs no round trip of its own: the reservation in the statement
 * that writes the generation before the call, the settlement in the one that settles it after.
 */
export type TokenLedger = {
  /**
   * A query that holds `tokens` of the month's budget and answers one row, `month`
   * (`2026-12-01`), the month it holds them in; or no row, having written nothing, when they do
   * not fit. It runs as a CTE of the generation's insert, which writes nothing without its row.
   */
  reservation(organizationId: string, tokens: number): SQL;
  /**
   * A statement that gives `released` (an SQL expression, evaluated in the settling statement)
   * back to `month`'s reserved tokens and counts `used`; it runs as a CTE of the settlement.
   */
  settlement(organizationId: string, month: string, released: SQL, used: number): SQL;
};

/**
 * The real bookkeeping. The reservation is one `insert … on conflict do update … where used +
 * reserved + n <= budget` on the month's `ai_token_usage` row, with the budget in force read in
 * the same statement: the row lock of `on conflict do update` queues concurrent reservations,
 * and each re-checks used + reserved on the row as the one before left it, so together they
 * never pass the budget. A first reservation of the month (no row yet) inserts only when it
 * fits on its own; two first ones at once meet on the unique key, and the second re-checks.
 */
export const BUDGET_LEDGER: TokenLedger = {
  reservation: (organizationId, tokens) => sql`
    with budget as (select least(${organizationBudget(organizationId)}, ${planBudget(organizationId)}) as tokens)
    insert into ai_token_usage as u (organization_id, month, used_tokens, reserved_tokens)
    select ${organizationId}::uuid, ${THIS_MONTH}, 0, ${tokens}::bigint from budget
     where budget.tokens is null or ${tokens}::bigint <= budget.tokens
    on conflict (organization_id, month) do update
       set reserved_tokens = u.reserved_tokens + excluded.reserved_tokens
     where (select tokens from budget) is null
        or u.used_tokens + u.reserved_tokens + excluded.reserved_tokens <= (select tokens from budget)
    returning to_char(u.month, 'YYYY-MM-DD') as month`,
  settlement: (organizationId, month, released, used) => sql`
    update ai_token_usage
       set reserved_tokens = greatest(reserved_tokens - ${released}, 0), used_tokens = used_tokens + ${used}::bigint
     where organization_id = ${organizationId}::uuid and month = ${month}::date`,
};

/**
 * No bookkeeping at all: the reservation answers the month without holding anything, the
 * settlement is a query nothing reads (so PostgreSQL never runs it). The server never uses it;
 * bench/ai-accounting.ts and the round-trip test price the real ledger against it.
 */
export const UNACCOUNTED_LEDGER: TokenLedger = {
  reservation: () => sql`select to_char(${THIS_MONTH}, 'YYYY-MM-DD') as month`,
  settlement: () => sql`select`,
};

import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/tenant-context.js';
import { TenantryError } from '../../errors.js';

type Row = Record<string, unknown>;
// node-postgres and PGlite both answer `execute` with an object holding `rows`.
const rowsOf = (result: unknown): Row[] => (result as { rows: Row[] }).rows;
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

/**
 * The month's budget and how much of it is used and held. The plan is the live subscription's,
 * else Free, as for every other plan limit.
 */
export async function readBudget(tx: Tx, organizationId: string): Promise<Budget> {
  const [row] = rowsOf(
    await tx.execute(sql`
      select to_char(date_trunc('month', now() at time zone 'UTC'), 'YYYY-MM-DD') as month,
             (select (o.settings -> 'ai' ->> 'monthlyTokenBudget')::bigint from organizations o where o.id = ${organizationId}) as organization_budget,
             (select p.max_ai_tokens_per_month
                from subscription_plans p
                left join subscriptions s on s.plan_id = p.id and s.organization_id = ${organizationId}
                 and s.status in ('trialing', 'active', 'past_due')
               where s.id is not null or (p.code = 'free' and not exists (
                       select from subscriptions x where x.organization_id = ${organizationId}
                          and x.status in ('trialing', 'active', 'past_due')))
               order by s.id is null
               limit 1) as plan_budget,
             (select u.used_tokens from ai_token_usage u
               where u.organization_id = ${organizationId} and u.month = date_trunc('month', now() at time zone 'UTC')::date) as used,
             (select u.reserved_tokens from ai_token_usage u
               where u.organization_id = ${organizationId} and u.month = date_trunc('month', now() at time zone 'UTC')::date) as reserved`),
  );
  const organizationBudget = numberOrNull(row?.organization_budget);
  const planBudget = numberOrNull(row?.plan_budget);
  const budgets = [organizationBudget, planBudget].filter((value) => value !== null);
  return {
    month: String(row?.month),
    budget: budgets.length ? Math.min(...budgets) : null,
    organizationBudget,
    planBudget,
    used: Number(row?.used ?? 0),
    reserved: Number(row?.reserved ?? 0),
  };
}

/**
 * Holds `tokens` of the month's budget, in one statement: the row lock of `on conflict do
 * update` queues concurrent reservations, and each re-checks used + reserved against the budget
 * on the row as the one before left it, so together they never pass it. Refuses with
 * `limit_exceeded` (nothing written) when the tokens do not fit.
 */
export async function reserveTokens(tx: Tx, organizationId: string, budget: Budget, tokens: number): Promise<void> {
  const refuse = (used: number, reserved: number) =>
    new TenantryError(
      'limit_exceeded',
      `the monthly AI token budget is ${budget.budget}: ${used} used and ${reserved} reserved leave too little for this call's ${tokens}`,
      { resource: 'ai_tokens', limit: budget.budget, used, reserved, requested: tokens },
    );
  if (budget.budget !== null && tokens > budget.budget) throw refuse(budget.used, budget.reserved);
  const limit = budget.budget;
  const rows = rowsOf(
    await tx.execute(sql`
      insert into ai_token_usage as u (organization_id, month, used_tokens, reserved_tokens)
      values (${organizationId}, ${budget.month}::date, 0, ${tokens})
      on conflict (organization_id, month) do update
         set reserved_tokens = u.reserved_tokens + excluded.reserved_tokens
       where ${limit}::bigint is null or u.used_tokens + u.reserved_tokens + excluded.reserved_tokens <= ${limit}::bigint
      returning u.used_tokens`),
  );
  if (rows.length === 0) {
    const now = await readBudget(tx, organizationId);
    throw refuse(now.used, now.reserved);
  }
}

/** The bookkeeping a generation runs inside its own transactions: hold before the call, settle after. */
export type TokenLedger = {
  /** Holds `tokens` of the month's budget or refuses with `limit_exceeded`; answers the month (`2026-12-01`) it holds them in. */
  reserve(tx: Tx, organizationId: string, tokens: number): Promise<string>;
  settle(tx: Tx, organizationId: string, month: string, reserved: number, used: number): Promise<void>;
};

/** The real bookkeeping: read the budget in force, reserve against it, settle to what was used. */
export const BUDGET_LEDGER: TokenLedger = {
  reserve: async (tx, organizationId, tokens) => {
    const budget = await readBudget(tx, organizationId);
    await reserveTokens(tx, organizationId, budget, tokens);
    return budget.month;
  },
  settle: settleTokens,
};

/** Turns a reservation into what was used (0 when the call failed): the held tokens go back either way. */
export async function settleTokens(tx: Tx, organizationId: string, month: string, reserved: number, used: number): Promise<void> {
  await tx.execute(sql`
    update ai_token_usage
       set reserved_tokens = greatest(reserved_tokens - ${reserved}, 0), used_tokens = used_tokens + ${used}
     where organization_id = ${organizationId} and month = ${month}::date`);
}

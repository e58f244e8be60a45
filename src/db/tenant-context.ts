import { AsyncLocalStorage } from 'node:async_hooks';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { TenantryError } from '../errors.js';
import type { Database, Orm } from './connection.js';
import type { PipelineResult, PipelineStatement } from './pipeline.js';
import { ROLES } from './roles.js';
import { isUuid } from '../uuid.js';

/** The transaction handle `withTenant` and `withPlatform` pass to their callback. */
export type Tx = Parameters<Parameters<Orm['transaction']>[0]>[0];

export type TenantContext = {
  organizationId: string;
  /** The acting user, recorded by the audit triggers; omit for system work. */
  userId?: string | null;
  /** Carried into audit rows so a change can be traced to the request that made it. */
  requestId?: string | null;
  /** The client's address and user agent for audit rows; defaults to the current request's (runAsClient). */
  ipAddress?: string | null;
  userAgent?: string | null;
};

/** Who sent a request, as far as it can be trusted (src/http/client-address.ts): audit rows record it. */
export type RequestClient = { ipAddress: string | null; userAgent: string | null };

/**
 * The request's client, held for the rest of the request so that every tenant transaction it
 * opens, through whichever service, stamps audit rows with it without each call site passing it.
 */
const requestClient = new AsyncLocalStorage<RequestClient>();

/** Runs `work` (the rest of a request) with `client` as the default client of its transactions. */
export function runAsClient<T>(client: RequestClient, work: () => Promise<T>): Promise<T> {
  return requestClient.run(client, work);
}

/** The settings both transaction kinds carry besides the tenant and role. */
function clientOf(context: Omit<TenantContext, 'organizationId'>): RequestClient {
  const current = requestClient.getStore();
  return { ipAddress: context.ipAddress ?? current?.ipAddress ?? null, userAgent: context.userAgent ?? current?.userAgent ?? null };
}

/**
 * The only way application code reaches tenant data: one transaction, acting as
 * `tenantry_app` (subject to RLS), with the tenant and the actor set transaction-locally
 * (`SET LOCAL`), so a pooled connection never carries them into the next transaction.
 *
 * @example
 * const tasks = await withTenant(db, { organizationId, userId }, (tx) =>
 *   tx.select().from(schema.tasks).where(eq(schema.tasks.organizationId, organizationId)));
 */
export async function withTenant<T>(db: Database, context: TenantContext, work: (tx: Tx) => Promise<T>): Promise<T> {
  requireUuid('organizationId', context.organizationId);
  if (context.userId) requireUuid('userId', context.userId);
  const statements = contextStatements(ROLES.app, { ...context, ...clientOf(context) });
  const split = await roleApart(db);
  return db.orm.transaction(async (tx) => {
    await setContext(db, tx, statements, split);
    return work(tx);
  });
}

/**
 * `withTenant` for work that is known in advance: the context, then `statements`, sent as one
 * transaction in one database round trip (db/pipeline.ts) instead of one per statement. Answers
 * each statement's result, in order. The statements cannot depend on each other's results in
 * JavaScript; anything conditional goes into SQL or into a later `withTenant`.
 */
export async function withTenantPipeline(db: Database, context: TenantContext, statements: PipelineStatement[]): Promise<PipelineResult[]> {
  requireUuid('organizationId', context.organizationId);
  if (context.userId) requireUuid('userId', context.userId);
  const full = { ...context, ...clientOf(context) };
  // The settled answer when there is one: awaiting it would cost every pipeline a promise.
  const split = citusKnown.get(db) ?? (await roleApart(db));
  const settings = split ? contextStatements(ROLES.app, full).map((text) => ({ text, values: [] })) : [contextSetter(ROLES.app, full)];
  const results = await db.pipeline([...settings, ...statements]);
  return results.slice(settings.length);
}

/**
 * Work that spans tenants on purpose (auth, validate, export), as `tenantry_platform`, which
 * bypasses RLS. Keep its callers few and named.
 */
export async function withPlatform<T>(
  db: Database,
  context: Omit<TenantContext, 'organizationId'>,
  work: (tx: Tx) => Promise<T>,
): Promise<T> {
  if (context.userId) requireUuid('userId', context.userId);
  const statements = contextStatements(ROLES.platform, { ...context, ...clientOf(context), organizationId: '' });
  const split = await roleApart(db);
  return db.orm.transaction(async (tx) => {
    await setContext(db, tx, statements, split);
    return work(tx);
  });
}

/**
 * The `SET LOCAL` statements that put a transaction in a context. `SET`, not `set_config()`:
 * Citus propagates `SET LOCAL` to the workers a transaction touches (with
 * `citus.propagate_set_commands = 'local'`, which comes first), and never a `set_config()` call.
 * Without Citus that setting is an inert placeholder, on PostgreSQL and on PGlite alike.
 * `SET` takes no bind parameters, so every value is inlined here and only here: the role is a
 * fixed identifier, ids were checked as UUIDs by the caller, and the free text (request id,
 * address, user agent) goes through `quoteLiteral`.
 */
export function contextStatements(role: string, context: TenantContext): string[] {
  if (!/^[a-z_][a-z0-9_]*$/.test(role)) throw new TenantryError('internal', `not a role name: ${role}`);
  const settings: [string, string | null | undefined][] = [
    ['app.organization_id', context.organizationId],
    ['app.user_id', context.userId],
    ['app.request_id', context.requestId],
    ['app.ip_address', context.ipAddress],
    ['app.user_agent', context.userAgent],
    ...(context.userId ? [] : projectAccessWithoutUser),
  ];
  return [
    // The role before propagation starts: Citus reaches the workers as the current role anyway,
    // and a replayed SET ROLE fails where a SECURITY DEFINER function (owned by another role)
    // runs a distributed query: its connections may not become tenantry_app.
    `SET LOCAL ROLE ${role}`,
    `SET LOCAL citus.propagate_set_commands = 'local'`,
    ...settings.map(([name, value]) => `SET LOCAL ${name} = ${quoteLiteral(value ?? '')}`),
  ];
}

/**
 * The context as one statement with its values bound, for pipelines where Citus is not
 * installed: prepared once per connection like the work that follows it, where the seven
 * `SET LOCAL` statements are parsed and planned again on every request (their text carries the
 * values). `set_config(name, value, true)` is `SET LOCAL` as a function, with the same checks
 * (the role must be one the session may become); Citus propagates only `SET LOCAL`, so a Citus
 * pool keeps `contextStatements`.
 */
export function contextSetter(role: string, context: TenantContext): PipelineStatement {
  if (!/^[a-z_][a-z0-9_]*$/.test(role)) throw new TenantryError('internal', `not a role name: ${role}`);
  const values = [role, context.organizationId, context.userId, context.requestId, context.ipAddress, context.userAgent].map((value) => {
    if (value?.includes('\0')) throw new TenantryError('bad_request', 'a context value contains a NUL character');
    return value ?? '';
  });
  // With an acting user the sets stay '' (unknown), so the first policy that asks computes them.
  return { text: CONTEXT_SETTER, values: [...values, context.userId ? '' : NOTHING_HIDDEN] };
}

const CONTEXT_SETTER = [
  "select set_config('role', $1, true)",
  "set_config('app.organization_id', $2, true)",
  "set_config('app.user_id', $3, true)",
  "set_config('app.request_id', $4, true)",
  "set_config('app.ip_address', $5, true)",
  "set_config('app.user_agent', $6, true)",
  "set_config('app.hidden_project_ids', $7, true)",
  "set_config('app.read_only_project_ids', $7, true)",
  "set_config('app.no_comment_project_ids', $7, true)",
].join(', ');

/**
 * Without an acting user (jobs, webhooks, integrations, the CLI) no project is hidden or
 * read-only: what app.refresh_project_access (0033, 0040) would compute, set with the context
 * so that no policy has to call it. It is a PL/pgSQL call per transaction, a good part of the
 * policies' cost on a small read (the README's RLS overhead section).
 */
const NOTHING_HIDDEN = '{}';
const projectAccessWithoutUser: [string, string][] = [
  ['app.hidden_project_ids', NOTHING_HIDDEN],
  ['app.read_only_project_ids', NOTHING_HIDDEN],
  ['app.no_comment_project_ids', NOTHING_HIDDEN],
];

/**
 * A string as an SQL literal: quotes doubled, and with a backslash the `E'…'` form with
 * backslashes doubled, which reads the same whatever `standard_conforming_strings` says.
 * A NUL cannot be part of a PostgreSQL string, so it is refused rather than sent.
 */
export function quoteLiteral(value: string): string {
  if (value.includes('\0')) throw new TenantryError('bad_request', 'a context value contains a NUL character');
  return pg.escapeLiteral(value);
}

/** Whether each pool's server has Citus installed, asked once (see roleApart). */
const citusByPool = new WeakMap<Database, Promise<boolean>>();
/** The same answers once they have arrived, to be read without waiting. */
const citusKnown = new WeakMap<Database, boolean>();

/**
 * Whether the role must go in a message of its own: only where Citus is installed. Citus
 * propagates a `SET LOCAL` by re-sending the whole message it came in; were the role in the same
 * message, a worker would replay `SET LOCAL ROLE` on the connections a SECURITY DEFINER function
 * opens, and fail ('permission denied to set role'). Plain PostgreSQL takes the context in one
 * message, saving a round trip on every transaction that does not pipeline. Asked once per pool,
 * before its first transaction; a pool opened before `create extension citus` keeps the one
 * message until restarted (the README says to restart after `db distribute`).
 */
function roleApart(db: Database): Promise<boolean> {
  if (db.kind !== 'postgres') return Promise.resolve(false);
  let known = citusByPool.get(db);
  if (!known) {
    known = db
      .query<{ citus: boolean }>("select exists (select from pg_catalog.pg_extension where extname = 'citus') as citus")
      .then(([row]) => {
        const citus = row?.citus === true;
        citusKnown.set(db, citus);
        return citus;
      });
    // A failed probe (the server was down) is asked again next time, not remembered.
    void known.catch(() => citusByPool.delete(db));
    citusByPool.set(db, known);
  }
  return known;
}

/**
 * On PostgreSQL the statements go as one simple-protocol message (the preparing client leaves
 * `SET` alone), or two with Citus (see roleApart): the role and the propagation switch, then the
 * settings. PGlite's query path takes one statement at a time, and there a round trip costs
 * nothing.
 */
async function setContext(db: Database, tx: Tx, statements: string[], split: boolean): Promise<void> {
  if (db.kind === 'postgres') {
    if (!split) {
      await tx.execute(sql.raw(statements.join('; ')));
      return;
    }
    await tx.execute(sql.raw(statements.slice(0, 2).join('; ')));
    await tx.execute(sql.raw(statements.slice(2).join('; ')));
    return;
  }
  for (const statement of statements) await tx.execute(sql.raw(statement));
}

function requireUuid(field: string, value: string): void {
  if (!isUuid(value)) throw new TenantryError('bad_request', `${field} must be a UUID`);
}

import { AsyncLocalStorage } from 'node:async_hooks';
import { sql } from 'drizzle-orm';
import { TenantryError } from '../errors.js';
import type { Database, Orm } from './connection.js';
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
 * `tenantry_app` (subject to RLS), with the tenant and the actor set transaction-locally in a
 * single statement, so a pooled connection never carries them into the next transaction.
 *
 * @example
 * const tasks = await withTenant(db, { organizationId, userId }, (tx) =>
 *   tx.select().from(schema.tasks).where(eq(schema.tasks.organizationId, organizationId)));
 */
export async function withTenant<T>(db: Database, context: TenantContext, work: (tx: Tx) => Promise<T>): Promise<T> {
  requireUuid('organizationId', context.organizationId);
  if (context.userId) requireUuid('userId', context.userId);
  const client = clientOf(context);
  return db.orm.transaction(async (tx) => {
    await tx.execute(sql`select set_config('role', ${ROLES.app}, true),
      set_config('app.organization_id', ${context.organizationId}, true),
      set_config('app.user_id', ${context.userId ?? ''}, true),
      set_config('app.request_id', ${context.requestId ?? ''}, true),
      set_config('app.ip_address', ${client.ipAddress ?? ''}, true),
      set_config('app.user_agent', ${client.userAgent ?? ''}, true)`);
    return work(tx);
  });
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
  const client = clientOf(context);
  return db.orm.transaction(async (tx) => {
    await tx.execute(sql`select set_config('role', ${ROLES.platform}, true),
      set_config('app.organization_id', '', true),
      set_config('app.user_id', ${context.userId ?? ''}, true),
      set_config('app.request_id', ${context.requestId ?? ''}, true),
      set_config('app.ip_address', ${client.ipAddress ?? ''}, true),
      set_config('app.user_agent', ${client.userAgent ?? ''}, true)`);
    return work(tx);
  });
}

function requireUuid(field: string, value: string): void {
  if (!isUuid(value)) throw new TenantryError('bad_request', `${field} must be a UUID`);
}

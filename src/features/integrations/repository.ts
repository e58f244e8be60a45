import { type SQL, and, asc, eq, gt, ne, sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { integrations, taskLinks } from '../../db/schema/index.js';
import type { Tx } from '../../db/tenant-context.js';

/** Every column the API may show; the sealed credentials stay out of every read and `returning`. */
const shown = {
  id: integrations.id,
  organizationId: integrations.organizationId,
  type: integrations.type,
  name: integrations.name,
  config: integrations.config,
  hasCredentials: sql<boolean>`${integrations.credentialsCiphertext} is not null`.as('has_credentials'),
  status: integrations.status,
  lastSyncAt: integrations.lastSyncAt,
  lastError: integrations.lastError,
  createdById: integrations.createdById,
  createdAt: integrations.createdAt,
  updatedAt: integrations.updatedAt,
};

type Row = typeof integrations.$inferSelect;
export type IntegrationView = Omit<Row, 'credentialsCiphertext'> & { hasCredentials: boolean };
export type IntegrationValues = Partial<Pick<Row, 'name' | 'config' | 'status' | 'lastError' | 'lastSyncAt' | 'credentialsCiphertext'>>;

const inOrganization = (organizationId: string, id: string): SQL =>
  and(eq(integrations.organizationId, organizationId), eq(integrations.id, id)) as SQL;

export async function listIntegrations(
  tx: Tx,
  organizationId: string,
  filter: { type?: Row['type']; status?: Row['status']; afterId: string | null; limit: number },
): Promise<IntegrationView[]> {
  return tx
    .select(shown)
    .from(integrations)
    .where(
      and(
        eq(integrations.organizationId, organizationId),
        filter.type ? eq(integrations.type, filter.type) : undefined,
        filter.status ? eq(integrations.status, filter.status) : undefined,
        filter.afterId ? gt(integrations.id, filter.afterId) : undefined,
      ),
    )
    .orderBy(asc(integrations.id))
    .limit(filter.limit + 1);
}

export async function findIntegration(tx: Tx, organizationId: string, id: string): Promise<IntegrationView | undefined> {
  const [row] = await tx.select(shown).from(integrations).where(inOrganization(organizationId, id));
  return row;
}

/** Whether another integration of the same type already has this name (unique per organization). */
export async function nameTaken(tx: Tx, organizationId: string, type: Row['type'], name: string, exceptId: string): Promise<boolean> {
  const [row] = await tx
    .select({ id: integrations.id })
    .from(integrations)
    .where(
      and(eq(integrations.organizationId, organizationId), eq(integrations.type, type), eq(integrations.name, name), ne(integrations.id, exceptId)),
    );
  return row !== undefined;
}

export async function insertIntegration(
  tx: Tx,
  organizationId: string,
  values: IntegrationValues & Pick<Row, 'id' | 'type' | 'name' | 'createdById'>,
): Promise<IntegrationView> {
  const [row] = await tx
    .insert(integrations)
    .values({ ...values, organizationId })
    .returning(shown);
  if (!row) throw new Error('insert returned no row');
  return row;
}

export async function updateIntegration(
  tx: Tx,
  organizationId: string,
  id: string,
  changes: IntegrationValues,
): Promise<IntegrationView | undefined> {
  const [row] = await tx.update(integrations).set(changes).where(inOrganization(organizationId, id)).returning(shown);
  return row;
}

/** Hard delete (the table has no deleted_at), sealed credentials with it. */
export async function deleteIntegration(tx: Tx, organizationId: string, id: string): Promise<boolean> {
  const rows = await tx.delete(integrations).where(inOrganization(organizationId, id)).returning({ id: integrations.id });
  return rows.length > 0;
}

/**
 * The organization, type and sealed credentials of an integration found by id alone, for an
 * incoming webhook that names no organization (platform work: before the tenant is known).
 */
export async function findIntegrationAnywhere(tx: Tx, id: string) {
  const [row] = await tx
    .select({ organizationId: integrations.organizationId, type: integrations.type, credentialsCiphertext: integrations.credentialsCiphertext })
    .from(integrations)
    .where(eq(integrations.id, id));
  return row;
}

/** Links commits or pull requests to tasks; a link already made (same task and URL) is kept as it was. */
export async function insertTaskLinks(
  tx: Tx,
  organizationId: string,
  links: Pick<typeof taskLinks.$inferInsert, 'taskId' | 'integrationId' | 'kind' | 'url' | 'title'>[],
): Promise<number> {
  if (links.length === 0) return 0;
  const rows = await tx
    .insert(taskLinks)
    .values(links.map((link) => ({ ...link, organizationId, id: uuidv7() })))
    .onConflictDoNothing()
    .returning({ id: taskLinks.id });
  return rows.length;
}

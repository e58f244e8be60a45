import { type SQL, and, asc, eq, gt } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { type TemplateCategory, publicTemplates, templates } from '../../db/schema/index.js';
import type { Tx } from '../../db/tenant-context.js';
import type { CreateTemplateInput, UpdateTemplateInput } from './schemas.js';

/** A template as the API shows it: `organizationId` is null for a public one. */
export type TemplateRow = Omit<typeof templates.$inferSelect, 'organizationId'> & { organizationId: string | null };

/** The organization's own templates; only these can be written. */
const own = (organizationId: string) => eq(templates.organizationId, organizationId);

type ListFilter = { category?: TemplateCategory; scope?: 'organization' | 'public'; afterId: string | null; limit: number };

/**
 * The organization's own templates and the public ones, merged by id. Two queries, not a
 * UNION: one is routed to the tenant's shard, the other reads the platform's table, on any engine.
 */
export async function listTemplates(tx: Tx, organizationId: string, filter: ListFilter): Promise<TemplateRow[]> {
  const take = filter.limit + 1;
  const ownRows =
    filter.scope === 'public'
      ? []
      : await tx
          .select()
          .from(templates)
          .where(and(own(organizationId), ...pageConditions(templates, filter)))
          .orderBy(asc(templates.id))
          .limit(take);
  const publicRows =
    filter.scope === 'organization'
      ? []
      : (
          await tx
            .select()
            .from(publicTemplates)
            .where(and(...pageConditions(publicTemplates, filter)))
            .orderBy(asc(publicTemplates.id))
            .limit(take)
        ).map(asPublic);
  return [...ownRows, ...publicRows].sort((a, b) => a.id.localeCompare(b.id)).slice(0, take);
}

function pageConditions(table: typeof templates | typeof publicTemplates, filter: ListFilter): (SQL | undefined)[] {
  return [
    filter.category ? eq(table.category, filter.category) : undefined,
    filter.afterId ? gt(table.id, filter.afterId) : undefined,
  ];
}

function asPublic(row: typeof publicTemplates.$inferSelect): TemplateRow {
  return { ...row, organizationId: null };
}

/** One of the organization's own templates, or else a public one. */
export async function findVisibleTemplate(tx: Tx, organizationId: string, id: string): Promise<TemplateRow | undefined> {
  const [mine] = await tx.select().from(templates).where(and(own(organizationId), eq(templates.id, id)));
  if (mine) return mine;
  const [published] = await tx.select().from(publicTemplates).where(eq(publicTemplates.id, id));
  return published ? asPublic(published) : undefined;
}

export async function insertTemplate(tx: Tx, organizationId: string, createdById: string, input: CreateTemplateInput): Promise<TemplateRow> {
  const [row] = await tx.insert(templates).values({ ...input, id: uuidv7(), organizationId, createdById }).returning();
  if (!row) throw new Error('insert returned no row');
  return row;
}

export async function updateTemplate(
  tx: Tx,
  organizationId: string,
  id: string,
  changes: UpdateTemplateInput,
): Promise<TemplateRow | undefined> {
  const [row] = await tx.update(templates).set(changes).where(and(own(organizationId), eq(templates.id, id))).returning();
  return row;
}

/** Templates have no soft delete: nothing references them, and the audit trail keeps the last version. */
export async function deleteTemplate(tx: Tx, organizationId: string, id: string): Promise<boolean> {
  const rows = await tx.delete(templates).where(and(own(organizationId), eq(templates.id, id))).returning({ id: templates.id });
  return rows.length > 0;
}

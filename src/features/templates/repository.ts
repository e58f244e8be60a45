import { and, asc, eq, gt, isNull, or } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { type TemplateCategory, templates } from '../../db/schema/index.js';
import type { Tx } from '../../db/tenant-context.js';
import type { CreateTemplateInput, UpdateTemplateInput } from './schemas.js';

export type TemplateRow = typeof templates.$inferSelect;

/** The organization's own templates; only these can be written. */
const own = (organizationId: string) => eq(templates.organizationId, organizationId);
/** What the organization may read: its own templates and the public ones. */
const visible = (organizationId: string) => or(own(organizationId), isNull(templates.organizationId));

export async function listTemplates(
  tx: Tx,
  organizationId: string,
  filter: { category?: TemplateCategory; scope?: 'organization' | 'public'; afterId: string | null; limit: number },
): Promise<TemplateRow[]> {
  const scope = filter.scope === 'organization' ? own(organizationId) : filter.scope === 'public' ? isNull(templates.organizationId) : visible(organizationId);
  return tx
    .select()
    .from(templates)
    .where(
      and(
        scope,
        filter.category ? eq(templates.category, filter.category) : undefined,
        filter.afterId ? gt(templates.id, filter.afterId) : undefined,
      ),
    )
    .orderBy(asc(templates.id))
    .limit(filter.limit + 1);
}

export async function findVisibleTemplate(tx: Tx, organizationId: string, id: string): Promise<TemplateRow | undefined> {
  const [row] = await tx.select().from(templates).where(and(visible(organizationId), eq(templates.id, id)));
  return row;
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

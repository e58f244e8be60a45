import type { Tx } from '../../db/tenant-context.js';
import { TenantryError } from '../../errors.js';
import { decodeCursor, toPage } from '../../http/pagination.js';
import { type ServiceCall, found, inTenant, requirePermission } from '../shared/service-call.js';
import * as repository from './repository.js';
import type { TemplateRow } from './repository.js';
import type { CreateTemplateInput, TemplateListFilter, UpdateTemplateInput } from './schemas.js';

export function view(template: TemplateRow) {
  return { ...template, isPublic: template.organizationId === null };
}

export async function listTemplates(call: ServiceCall, filter: TemplateListFilter) {
  requirePermission(call, 'read');
  const afterId = decodeCursor(filter.cursor);
  const rows = await inTenant(call, (tx) =>
    repository.listTemplates(tx, call.scope.organizationId, {
      ...(filter.category ? { category: filter.category } : {}),
      ...(filter.scope ? { scope: filter.scope } : {}),
      afterId,
      limit: filter.limit,
    }),
  );
  const page = toPage(rows, filter.limit);
  return { ...page, items: page.items.map(view) };
}

export async function getTemplate(call: ServiceCall, id: string) {
  requirePermission(call, 'read');
  return view(found(await inTenant(call, (tx) => repository.findVisibleTemplate(tx, call.scope.organizationId, id)), 'template'));
}

export async function createTemplate(call: ServiceCall, input: CreateTemplateInput) {
  requirePermission(call, 'work:write');
  return view(await inTenant(call, (tx) => repository.insertTemplate(tx, call.scope.organizationId, call.scope.userId, input)));
}

/**
 * A public template is visible, so pretending it does not exist would be a lie: writing one is
 * 403. Another organization's template is invisible, hence 404.
 */
async function requireOwnTemplate(tx: Tx, organizationId: string, id: string): Promise<void> {
  const template = found(await repository.findVisibleTemplate(tx, organizationId, id), 'template');
  if (template.organizationId === null) throw new TenantryError('forbidden', 'public templates are read-only; copy it into a template of your own');
}

export async function updateTemplate(call: ServiceCall, id: string, input: UpdateTemplateInput) {
  requirePermission(call, 'work:write');
  const organizationId = call.scope.organizationId;
  return view(
    await inTenant(call, async (tx) => {
      await requireOwnTemplate(tx, organizationId, id);
      return found(await repository.updateTemplate(tx, organizationId, id, input), 'template');
    }),
  );
}

export async function deleteTemplate(call: ServiceCall, id: string): Promise<void> {
  requirePermission(call, 'work:write');
  const organizationId = call.scope.organizationId;
  await inTenant(call, async (tx) => {
    await requireOwnTemplate(tx, organizationId, id);
    if (!(await repository.deleteTemplate(tx, organizationId, id))) throw new TenantryError('not_found', 'template not found');
  });
}

import { v7 as uuidv7 } from 'uuid';
import { decodeCursor, toPage } from '../../http/pagination.js';
import { type ServiceCall, inTenant, requirePermission } from '../shared/service-call.js';
import * as repository from './repository.js';
import type { AiModelPriceListFilter, SetAiModelPriceInput } from './schemas.js';

export { currentPrice } from './repository.js';

/** Every member reads the prices the organization's generations are charged at. */
export async function listPrices(call: ServiceCall, filter: AiModelPriceListFilter) {
  requirePermission(call, 'read');
  const afterId = decodeCursor(filter.cursor);
  const rows = await inTenant(call, (tx) =>
    repository.listPrices(tx, call.scope.organizationId, {
      history: filter.history === 'true',
      ...(filter.model ? { model: filter.model } : {}),
      afterId,
      limit: filter.limit,
    }),
  );
  return toPage(rows, filter.limit);
}

/** Admins set a model's price; the old version stays, and generations made with it keep naming it. */
export async function setPrice(call: ServiceCall, input: SetAiModelPriceInput) {
  requirePermission(call, 'ai-providers:manage');
  const { organizationId, userId } = call.scope;
  return inTenant(call, (tx) => repository.insertNextVersion(tx, organizationId, { ...input, id: uuidv7(), createdById: userId }));
}

import { v7 as uuidv7 } from 'uuid';
import { TenantryError } from '../../errors.js';
import { decodeCursor, toPage } from '../../http/pagination.js';
import { requireLiveProject } from '../shared/live-project.js';
import { type ServiceCall, inTenant, requirePermission } from '../shared/service-call.js';
import * as repository from './repository.js';
import type { AiGenerationListFilter, AiUsagePeriod, CreateAiGenerationInput } from './schemas.js';

/** A date alone means midnight UTC; `from` must come before `to`. */
function periodOf(query: AiUsagePeriod): repository.Period {
  const from = query.from === undefined ? null : new Date(query.from);
  const to = query.to === undefined ? null : new Date(query.to);
  if (from && to && from >= to) {
    throw new TenantryError('validation_failed', 'from must be before to', [{ path: 'to', message: 'must be after from' }]);
  }
  return { from, to };
}

/** Members record what an AI call used; the total is derived, never trusted from the caller. */
export async function recordAiGeneration(call: ServiceCall, input: CreateAiGenerationInput) {
  requirePermission(call, 'work:write');
  const { organizationId, userId } = call.scope;
  return inTenant(call, async (tx) => {
    if (input.projectId) await requireLiveProject(tx, call.scope, input.projectId, 'write');
    if (input.aiProviderId && !(await repository.aiProviderExists(tx, organizationId, input.aiProviderId))) {
      throw new TenantryError('not_found', 'AI provider not found');
    }
    return repository.insertAiGeneration(tx, organizationId, {
      ...input,
      id: uuidv7(),
      userId,
      totalTokens: input.promptTokens + input.completionTokens,
      cost: input.cost.toFixed(6),
    });
  });
}

export async function listAiGenerations(call: ServiceCall, filter: AiGenerationListFilter) {
  requirePermission(call, 'read');
  const afterId = decodeCursor(filter.cursor);
  const period = periodOf({ from: filter.from, to: filter.to });
  const { projectId, aiProviderId, userId, generationType, provider, model, limit } = filter;
  const equalities = { projectId, aiProviderId, userId, generationType, provider, model };
  const rows = await inTenant(call, (tx) =>
    repository.listAiGenerations(tx, call.scope.organizationId, { ...equalities, ...period, afterId, limit }),
  );
  return toPage(rows, filter.limit);
}

/** Tokens and cost per month, provider and model, summed by the database. */
export async function usageSummary(call: ServiceCall, query: AiUsagePeriod) {
  requirePermission(call, 'read');
  const period = periodOf(query);
  const { organizationId } = call.scope;
  return inTenant(call, async (tx) => ({
    from: period.from?.toISOString() ?? null,
    to: period.to?.toISOString() ?? null,
    items: await repository.usageByMonth(tx, organizationId, period),
    totals: await repository.usageTotals(tx, organizationId, period),
  }));
}

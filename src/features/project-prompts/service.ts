import { v7 as uuidv7 } from 'uuid';
import type { Tx } from '../../db/tenant-context.js';
import { decodeCursor, toPage } from '../../http/pagination.js';
import { requireLiveProject } from '../shared/live-project.js';
import { type ServiceCall, inTenant, requirePermission } from '../shared/service-call.js';
import * as repository from './repository.js';
import type { AppendPromptInput, PromptListFilter } from './schemas.js';

export async function listPrompts(call: ServiceCall, projectId: string, filter: PromptListFilter) {
  requirePermission(call, 'read');
  const afterId = decodeCursor(filter.cursor);
  const { organizationId } = call.scope;
  const rows = await inTenant(call, async (tx) => {
    await requireLiveProject(tx, call.scope, projectId);
    return repository.listPrompts(tx, organizationId, projectId, {
      ...(filter.conversationId ? { conversationId: filter.conversationId } : {}),
      ...(filter.role ? { role: filter.role } : {}),
      afterId,
      limit: filter.limit,
    });
  });
  return toPage(rows, filter.limit);
}

/** Appends one message; without a conversationId it starts a new conversation. */
export async function appendPrompt(call: ServiceCall, projectId: string, input: AppendPromptInput) {
  requirePermission(call, 'work:write');
  const { organizationId, userId } = call.scope;
  return inTenant(call, async (tx) => {
    await requireLiveProject(tx, call.scope, projectId, 'write');
    return appendPromptIn(tx, organizationId, userId, projectId, input);
  });
}

/** Appends a message inside the caller's transaction (the AI chat writes the question and the answer this way). */
export async function appendPromptIn(tx: Tx, organizationId: string, userId: string | null, projectId: string, input: AppendPromptInput) {
  return repository.insertPrompt(tx, organizationId, {
    ...input,
    id: uuidv7(),
    projectId,
    conversationId: input.conversationId ?? uuidv7(),
    userId,
  });
}

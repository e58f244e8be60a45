import { type LanguageModel, type LanguageModelUsage, streamText } from 'ai';
import { v7 as uuidv7 } from 'uuid';
import type { GenerationTask, GenerationType } from '../../db/schema/index.js';
import type { Tx } from '../../db/tenant-context.js';
import { TenantryError } from '../../errors.js';
import type { OutboundFetch } from '../../net/outbound-guard.js';
import { currentPrice } from '../ai-prices/service.js';
import { openProviderForCall } from '../ai-providers/service.js';
import { assertFeature } from '../plans/features.js';
import { appendPromptIn } from '../project-prompts/service.js';
import { requireLiveProject } from '../shared/live-project.js';
import { type ServiceCall, found, inTenant, requirePermission } from '../shared/service-call.js';
import { bulkCreateTasks } from '../tasks/service.js';
import { type TokenLedger, readBudget, refusal } from './budget.js';
import type { AiCallSettings } from './call-settings.js';
import * as context from './context.js';
import { languageModelFor } from './language-model.js';
import { type Conversation, conversationFor, estimatePromptTokens, parseStoryProposals } from './prompts.js';
import { providerErrorInWords } from './provider-error.js';
import { generationRecord } from './record.js';
import * as repository from './repository.js';
import type { AcceptStoriesInput, GenerateInput } from './schemas.js';

export type GenerateDeps = { masterKey: Buffer; fetch: OutboundFetch; settings: AiCallSettings; ledger: TokenLedger };

const GENERATION_TYPE: Record<GenerationTask, GenerationType> = { stories: 'story', document: 'prd', chat: 'chat', 'sprint-summary': 'summary' };

/** A generation whose tokens are reserved and whose row is written, ready to call the model. */
export type Prepared = {
  call: ServiceCall;
  generationId: string;
  task: GenerationTask;
  model: LanguageModel;
  apiKey: string | null;
  conversation: Conversation;
  maxOutputTokens: number;
  promptEstimate: number;
  reserved: number;
  month: string;
  ledger: TokenLedger;
  price: { input: string; output: string } | null;
  chat: { projectId: string; conversationId: string } | null;
};

function required(field: string, why: string): TenantryError {
  return new TenantryError('validation_failed', `${field} is required ${why}`, [{ path: field, message: `required ${why}` }]);
}

/** Reads what the task needs, under RLS: another organization's document or sprint is a 404. */
async function contextFor(tx: Tx, organizationId: string, input: GenerateInput) {
  let projectId = input.projectId;
  const sameProject = (other: string, field: string) => {
    if (projectId && projectId !== other) {
      throw new TenantryError('validation_failed', `the ${field} belongs to another project`, [{ path: field, message: 'not in projectId' }]);
    }
    projectId = other;
  };
  const found: context.GenerationContext = {};
  if (input.documentId) {
    found.document = await context.readDocument(tx, organizationId, input.documentId);
    sameProject(found.document.projectId, 'documentId');
  }
  if (input.task === 'sprint-summary') {
    if (!input.sprintId && !projectId) throw required('sprintId', 'for a sprint summary (or give projectId)');
    found.sprint = await context.readSprint(tx, organizationId, { ...(input.sprintId ? { sprintId: input.sprintId } : {}), ...(projectId ? { projectId } : {}) });
    sameProject(found.sprint.projectId, 'sprintId');
    found.sprintTasks = await context.readSprintTasks(tx, organizationId, found.sprint.id);
  }
  if (input.task === 'chat' && !projectId) throw required('projectId', 'for chat');
  if (projectId) found.project = await context.readProject(tx, organizationId, projectId);
  if (input.task === 'chat' && projectId && input.conversationId) {
    found.history = await context.readConversation(tx, organizationId, projectId, input.conversationId);
  }
  return { projectId: projectId ?? null, context: found };
}

/**
 * Everything before the model is called, in one transaction: the plan feature, the provider and
 * its key, the context, the price in force, the chat question, and the generation row marked
 * reserved, written in one statement with the reservation of the prompt's estimate plus
 * maxOutputTokens (refused with `limit_exceeded` when it does not fit, and then nothing is
 * written). It commits before the call, so concurrent calls see the reservation.
 */
export async function prepareGeneration(call: ServiceCall, deps: GenerateDeps, input: GenerateInput): Promise<Prepared> {
  requirePermission(call, 'work:write');
  const { organizationId, userId } = call.scope;
  return inTenant(call, async (tx) => {
    await assertFeature(tx, organizationId, 'ai_assistant');
    const provider = await openProviderForCall(tx, organizationId, deps.masterKey, input.providerId);
    if (provider.status !== 'active') {
      throw new TenantryError('validation_failed', `the AI provider "${provider.name}" is disabled`, [{ path: 'providerId', message: 'disabled' }]);
    }
    const model = languageModelFor(provider, deps.fetch);
    const { projectId, context: background } = await contextFor(tx, organizationId, input);
    // A private project's generations are for those who may write in it.
    if (projectId) await requireLiveProject(tx, call.scope, projectId, 'write');
    const conversation = conversationFor(input.task, input.prompt, background);
    const promptEstimate = estimatePromptTokens(conversation);
    const reserved = promptEstimate + input.maxOutputTokens;
    const price = await currentPrice(tx, organizationId, provider.kind, provider.model ?? '');
    const chat = input.task === 'chat' && projectId ? { projectId, conversationId: input.conversationId ?? uuidv7() } : null;
    if (chat) await appendPromptIn(tx, organizationId, userId, chat.projectId, { conversationId: chat.conversationId, role: 'user', content: input.prompt });
    const generationId = uuidv7();
    const month = await repository.insertReserved(tx, organizationId, {
      id: generationId,
      projectId,
      userId,
      aiProviderId: provider.id,
      generationType: GENERATION_TYPE[input.task],
      task: input.task,
      provider: provider.kind,
      model: provider.model ?? '',
      prompt: input.prompt,
      reservedTokens: reserved,
      priceVersion: price?.version ?? null,
      metadata: {
        ...(input.documentId ? { documentId: input.documentId } : {}),
        ...(background.sprint ? { sprintId: background.sprint.id } : {}),
        ...(chat ? { conversationId: chat.conversationId } : {}),
      },
    }, deps.ledger.reservation(organizationId, reserved));
    // Nothing was written; the transaction's rollback takes back the chat question too.
    if (month === undefined) throw await refusal(tx, organizationId, reserved);
    return {
      call, generationId, task: input.task, model, apiKey: provider.apiKey, conversation, maxOutputTokens: input.maxOutputTokens,
      promptEstimate, reserved, month, ledger: deps.ledger, chat,
      price: price ? { input: price.inputPerMillion, output: price.outputPerMillion } : null,
    };
  });
}

export type Outcome = {
  status: 'succeeded' | 'failed' | 'canceled';
  text: string;
  usage: LanguageModelUsage | undefined;
  error: string | null;
  latencyMs: number;
};

/**
 * Calls the model and streams its text to `onDelta`. Never throws: a provider error, a timeout
 * (settings.timeoutMs for the whole call) or the caller's `cancel` signal ends it with that
 * status. Calls that fail to start with 429 or 5xx are retried by the AI SDK (maxRetries).
 */
export async function runGeneration(
  prepared: Prepared,
  settings: AiCallSettings,
  cancel: AbortSignal,
  onDelta: (text: string) => Promise<void> | void,
): Promise<Outcome> {
  const timeout = AbortSignal.timeout(settings.timeoutMs);
  const started = performance.now();
  let text = '';
  let usage: LanguageModelUsage | undefined;
  let failure: unknown;
  try {
    const result = streamText({
      model: prepared.model,
      system: prepared.conversation.system,
      messages: prepared.conversation.messages,
      maxOutputTokens: prepared.maxOutputTokens,
      maxRetries: settings.maxRetries,
      abortSignal: AbortSignal.any([cancel, timeout]),
      // Errors arrive as parts of the stream below; the SDK's default would print them.
      onError: () => undefined,
    });
    for await (const part of result.fullStream) {
      if (part.type === 'text-delta') {
        text += part.text;
        await onDelta(part.text);
      } else if (part.type === 'finish') usage = part.totalUsage;
      else if (part.type === 'error') failure = part.error;
    }
  } catch (error) {
    failure = error;
  }
  const latencyMs = Math.round(performance.now() - started);
  if (cancel.aborted) return { status: 'canceled', text, usage, error: null, latencyMs };
  if (timeout.aborted) return { status: 'failed', text, usage, error: `the provider did not finish within ${settings.timeoutMs} ms`, latencyMs };
  if (failure !== undefined) return { status: 'failed', text, usage, error: providerErrorInWords(failure, prepared.apiKey), latencyMs };
  return { status: 'succeeded', text, usage, error: null, latencyMs };
}

/**
 * What the call used, from the provider's own report. When it reported nothing (a call canceled
 * mid-stream, a server that leaves usage out) the prompt's estimate and the text received stand
 * in, flagged `usageEstimated`; a failed call with no report used nothing.
 */
function tokensUsed(prepared: Prepared, outcome: Outcome) {
  const reportedIn = outcome.usage?.inputTokens;
  const reportedOut = outcome.usage?.outputTokens;
  if (reportedIn !== undefined && reportedOut !== undefined) return { inputTokens: reportedIn, outputTokens: reportedOut, estimated: false };
  if (outcome.status === 'failed' && !outcome.text) return { inputTokens: 0, outputTokens: 0, estimated: false };
  const outputEstimate = Math.ceil(Buffer.byteLength(outcome.text, 'utf8') / 3);
  return { inputTokens: reportedIn ?? prepared.promptEstimate, outputTokens: reportedOut ?? outputEstimate, estimated: true };
}

/** Settles the reservation to what was used and completes the record (and the chat's answer), in one transaction. */
export async function settleGeneration(prepared: Prepared, outcome: Outcome) {
  const { call } = prepared;
  const { organizationId } = call.scope;
  const used = tokensUsed(prepared, outcome);
  const proposals = prepared.task === 'stories' && outcome.status === 'succeeded' ? parseStoryProposals(outcome.text) : null;
  const settlement: repository.Settlement = {
    status: outcome.status,
    response: outcome.text,
    inputTokens: used.inputTokens,
    outputTokens: used.outputTokens,
    latencyMs: outcome.latencyMs,
    error: outcome.error,
    price: prepared.price,
    metadata: { ...(proposals ? { proposals } : {}), ...(used.estimated ? { usageEstimated: true } : {}) },
    reserved: prepared.reserved,
  };
  const tokens = used.inputTokens + used.outputTokens;
  return inTenant(call, async (tx) => {
    // One statement settles the generation still reserved and the month's count. A call so slow
    // that the sweep released its reservation meanwhile finds it no longer reserved: its usage
    // is counted and nothing given back twice, and its record is written by a second statement.
    const settled = await repository.settleReserved(tx, organizationId, prepared.generationId, settlement, (released) =>
      prepared.ledger.settlement(organizationId, prepared.month, released, tokens),
    );
    const row = settled ?? found(await repository.settleGeneration(tx, organizationId, prepared.generationId, settlement), 'AI generation');
    if (prepared.chat && outcome.text) {
      await appendPromptIn(tx, organizationId, null, prepared.chat.projectId, {
        conversationId: prepared.chat.conversationId, role: 'assistant', content: outcome.text,
        provider: row.provider, model: row.model, tokens: used.outputTokens, metadata: { generationId: row.id },
      });
    }
    return generationRecord(row);
  });
}

/** Generate without streaming: the record, or `provider_error` (502) naming what the provider said. */
export async function generate(call: ServiceCall, deps: GenerateDeps, input: GenerateInput) {
  const prepared = await prepareGeneration(call, deps, input);
  const outcome = await runGeneration(prepared, deps.settings, new AbortController().signal, () => undefined);
  const record = await settleGeneration(prepared, outcome);
  if (record.status === 'failed') throw new TenantryError('provider_error', record.error ?? 'the provider call failed', { generation: record });
  return record;
}

export async function getBudget(call: ServiceCall) {
  requirePermission(call, 'read');
  return inTenant(call, (tx) => readBudget(tx, call.scope.organizationId));
}

type Proposal = { title: string; description?: string; acceptanceCriteria?: string[] };

/**
 * Turns a stories generation's proposals into tasks of type story, once. The claim and the
 * tasks are separate transactions (tasks are created by their own service, with its plan
 * checks); a failure to create them gives the claim back.
 */
export async function acceptStories(call: ServiceCall, generationId: string, input: AcceptStoriesInput) {
  requirePermission(call, 'work:write');
  const { organizationId } = call.scope;
  const claimed = await inTenant(call, async (tx) => {
    const row = await repository.claimAcceptance(tx, organizationId, generationId);
    if (row) return row;
    const existing = found(await repository.findGeneration(tx, organizationId, generationId), 'AI generation');
    if (existing.task !== 'stories' || existing.status !== 'succeeded') {
      throw new TenantryError('conflict', 'only a succeeded stories generation can be accepted');
    }
    throw new TenantryError('conflict', 'these stories were already accepted', { acceptedTaskIds: existing.metadata.acceptedTaskIds ?? [] });
  });
  const release = () => inTenant(call, (tx) => repository.releaseAcceptance(tx, organizationId, generationId));
  try {
    const proposals = (Array.isArray(claimed.metadata.proposals) ? claimed.metadata.proposals : []) as Proposal[];
    const chosen = input.stories ? input.stories.map((index) => proposals[index]) : proposals;
    if (chosen.length === 0 || chosen.some((p) => p === undefined)) {
      throw new TenantryError('validation_failed', `choose among the ${proposals.length} proposals (0 to ${proposals.length - 1})`, [{ path: 'stories', message: 'no such proposal' }]);
    }
    const projectId = input.projectId ?? claimed.projectId;
    if (!projectId) throw required('projectId', 'when the generation has no project');
    const tasks = await bulkCreateTasks(
      call,
      projectId,
      chosen.map((p) => ({
        title: p!.title,
        description: p!.description || null,
        acceptanceCriteria: p!.acceptanceCriteria?.length ? p!.acceptanceCriteria.map((c) => `- ${c}`).join('\n') : null,
        type: 'story' as const,
      })),
    );
    const row = await inTenant(call, (tx) => repository.recordAcceptedTasks(tx, organizationId, generationId, tasks.map((t) => t.id)));
    return { generation: generationRecord(found(row, 'AI generation')), tasks };
  } catch (error) {
    await release();
    throw error;
  }
}

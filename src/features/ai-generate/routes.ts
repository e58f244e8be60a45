import { createRoute, z } from '@hono/zod-openapi';
import { streamSSE } from 'hono/streaming';
import { json, jsonBody, tenantErrorResponses, errorResponse } from '../../http/openapi.js';
import { type RouterDeps, newRouter, serialize } from '../../http/router.js';
import { createOutboundFetch } from '../../net/outbound-guard.js';
import { callerOf } from '../shared/service-call.js';
import { BUDGET_LEDGER } from './budget.js';
import { DEFAULT_AI_CALL_SETTINGS } from './call-settings.js';
import { AcceptStoriesBody, AcceptedStories, AiBudget, AiGenerationRecord, GenerateBody, OrgParams, OrgResourceParams } from './schemas.js';
import * as service from './service.js';

const tags = ['ai'];

const generate = createRoute({
  method: 'post', path: '/orgs/{orgId}/ai/generate', tags,
  summary: 'Call the model (members and up): the generation record, or Server-Sent Events with Accept: text/event-stream',
  description:
    'Reserves the prompt\'s estimated tokens plus maxOutputTokens against the monthly budget first; over budget it answers ' +
    '`403 limit_exceeded` and calls nothing. A stream sends `delta` events (`{"text"}`), then `done` with the record, or `error` ' +
    '(`{"error","generation"}`) when the provider failed. Closing the stream aborts the provider call; its usage is still recorded.',
  request: { params: OrgParams, body: jsonBody(GenerateBody) },
  responses: {
    200: {
      description: 'The settled generation (tokens as the provider reported them, cost, price version), or its stream',
      content: { 'application/json': { schema: AiGenerationRecord }, 'text/event-stream': { schema: z.string() } },
    },
    ...tenantErrorResponses,
    502: errorResponse('`provider_error`: the provider refused or failed; the message says what it answered, `details.generation` is the record'),
  },
});
const accept = createRoute({
  method: 'post', path: '/orgs/{orgId}/ai-generations/{id}/accept', tags,
  summary: "Create tasks (type story) from a stories generation's proposals, once (members and up)",
  request: { params: OrgResourceParams, body: jsonBody(AcceptStoriesBody) },
  responses: { 201: json(AcceptedStories, 'The created tasks and the updated record'), ...tenantErrorResponses },
});
const budget = createRoute({
  method: 'get', path: '/orgs/{orgId}/ai/budget', tags, summary: "This month's AI token budget, used and reserved tokens",
  request: { params: OrgParams },
  responses: { 200: json(AiBudget, 'The budget'), ...tenantErrorResponses },
});

export function aiGenerateRoutes({ db, masterKey, outbound, ai }: RouterDeps) {
  const call = (c: Parameters<typeof callerOf>[1]) => callerOf(db, c);
  const settings = ai ?? DEFAULT_AI_CALL_SETTINGS;
  const deps: service.GenerateDeps = { masterKey, fetch: createOutboundFetch({ allowPrivate: outbound.allowPrivate }), settings, ledger: settings.ledger ?? BUDGET_LEDGER };
  return newRouter()
    .openapi(generate, async (c) => {
      const input = c.req.valid('json');
      if (!(c.req.header('accept') ?? '').includes('text/event-stream')) return c.json(await service.generate(call(c), deps, input), 200);
      // Refusals (budget, plan, input) are ordinary JSON errors, before the stream opens.
      const prepared = await service.prepareGeneration(call(c), deps, input);
      const cancel = new AbortController();
      return streamSSE(c, async (sse) => {
        sse.onAbort(() => cancel.abort());
        const outcome = await service.runGeneration(prepared, deps.settings, cancel.signal, async (text) => {
          if (!sse.aborted) await sse.writeSSE({ event: 'delta', data: JSON.stringify({ text }) });
        });
        const record = await service.settleGeneration(prepared, outcome);
        if (sse.aborted) return;
        if (record.status === 'failed') {
          await sse.writeSSE({ event: 'error', data: JSON.stringify({ error: { code: 'provider_error', message: record.error }, generation: record }) });
        } else {
          await sse.writeSSE({ event: 'done', data: JSON.stringify(record) });
        }
      });
    })
    .openapi(accept, async (c) => {
      const accepted = await service.acceptStories(call(c), c.req.valid('param').id, c.req.valid('json'));
      return c.json({ generation: accepted.generation, tasks: accepted.tasks.map(serialize) }, 201);
    })
    .openapi(budget, async (c) => c.json(await service.getBudget(call(c)), 200));
}

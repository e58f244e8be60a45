import { createRoute } from '@hono/zod-openapi';
import { json, jsonBody, tenantErrorResponses } from '../../http/openapi.js';
import { type RouterDeps, newRouter, serialize } from '../../http/router.js';
import { callerOf } from '../shared/service-call.js';
import { AppendPromptBody, ProjectParams, ProjectPrompt, ProjectPromptPage, PromptListQuery } from './schemas.js';
import * as service from './service.js';

const tags = ['project-prompts'];
const base = '/orgs/{orgId}/projects/{projectId}/prompts';

const list = createRoute({
  method: 'get', path: base, tags, summary: "List a project's AI conversation messages, oldest first (filter by conversationId)",
  request: { params: ProjectParams, query: PromptListQuery },
  responses: { 200: json(ProjectPromptPage, 'A page of messages'), ...tenantErrorResponses },
});
const append = createRoute({
  method: 'post', path: base, tags, summary: 'Append a message to a conversation, or start one (members and up)',
  request: { params: ProjectParams, body: jsonBody(AppendPromptBody) },
  responses: { 201: json(ProjectPrompt, 'The stored message'), ...tenantErrorResponses },
});

export function projectPromptRoutes({ db }: RouterDeps) {
  const call = (c: Parameters<typeof callerOf>[1]) => callerOf(db, c);
  return newRouter()
    .openapi(list, async (c) => {
      const page = await service.listPrompts(call(c), c.req.valid('param').projectId, c.req.valid('query'));
      return c.json({ items: page.items.map(serialize), nextCursor: page.nextCursor }, 200);
    })
    .openapi(append, async (c) =>
      c.json(serialize(await service.appendPrompt(call(c), c.req.valid('param').projectId, c.req.valid('json'))), 201));
}

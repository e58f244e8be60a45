import { createRoute, z } from '@hono/zod-openapi';
import { errorResponse, json } from '../../http/openapi.js';
import { type RouterDeps, newRouter } from '../../http/router.js';
import { receiveGithubEvent } from './github.js';

const GithubReceipt = z
  .object({
    event: z.string(),
    /** New links between a task and a commit or pull request. */
    linked: z.number().int(),
    /** Tasks a merged pull request completed ("fixes ACME-7"). */
    completed: z.number().int(),
  })
  .openapi('GithubReceipt');

// Public, and the body is read raw: the signature covers its exact bytes, so no JSON schema
// parses it first.
const webhook = createRoute({
  method: 'post', path: '/integrations/{id}/github/webhook', tags: ['integrations'], security: [],
  summary: "GitHub's webhook for one integration: verified with its webhookSecret; links commits and pull requests to the tasks they name",
  request: { params: z.object({ id: z.uuid().openapi({ param: { name: 'id', in: 'path' } }) }) },
  responses: {
    200: json(GithubReceipt, 'Verified and applied'),
    400: errorResponse('No signature, one that does not verify, or a payload that could not be applied'),
    404: errorResponse('No GitHub integration with this id'),
  },
});

export function githubWebhookRoutes({ db, masterKey }: RouterDeps) {
  return newRouter().openapi(webhook, async (c) =>
    c.json(
      await receiveGithubEvent(db, masterKey, {
        integrationId: c.req.valid('param').id,
        body: await c.req.text(),
        signature: c.req.header('x-hub-signature-256'),
        event: c.req.header('x-github-event'),
      }),
      200,
    ));
}

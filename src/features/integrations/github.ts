/**
 * GitHub's incoming webhook, one URL per integration:
 * `POST /api/v1/integrations/{id}/github/webhook`. The body is verified against the webhook
 * secret stored in the integration's sealed credentials (`webhookSecret`) with
 * @octokit/webhooks-methods. Commits pushed and pull requests opened or changed that name a task
 * (`ACME-7`) are linked to it; a merged pull request that says "fixes ACME-7" (or closes,
 * resolves) completes it. Every verified event sets `last_sync_at`; a failure while applying it
 * is kept in `last_error`.
 */
import { verify } from '@octokit/webhooks-methods';
import { z } from 'zod';
import { decryptSecret } from '../../crypto/envelope.js';
import { organizationDataKey } from '../../crypto/tenant-data-key.js';
import type { Database } from '../../db/connection.js';
import { type Tx, withPlatform, withTenant } from '../../db/tenant-context.js';
import { TenantryError } from '../../errors.js';
import { completeTasksForIntegration, findTaskId } from '../tasks/service.js';
import * as repository from './repository.js';
import { credentialsContext } from './service.js';

const REFERENCE = /\b([A-Za-z][A-Za-z0-9]{1,9}-\d{1,9})\b/g;
const CLOSING = /\b(?:fix(?:e[sd])?|close[sd]?|resolve[sd]?)\s*:?\s+([A-Za-z][A-Za-z0-9]{1,9}-\d{1,9})\b/gi;
const SYSTEM = 'system:github';

/** The task references a text makes (`ACME-7`), and those it says it fixes. */
export function taskReferences(text: string): { named: string[]; fixed: string[] } {
  const upper = (refs: Iterable<RegExpMatchArray>) => [...new Set([...refs].map((m) => (m[1] ?? '').toUpperCase()))];
  return { named: upper(text.matchAll(REFERENCE)), fixed: upper(text.matchAll(CLOSING)) };
}

const Push = z.object({ commits: z.array(z.object({ message: z.string(), url: z.string() })).default([]) });
const PullRequest = z.object({
  action: z.string(),
  pull_request: z.object({ title: z.string(), body: z.string().nullable(), html_url: z.string(), merged: z.boolean().nullable().optional() }),
});

type Mention = { kind: 'commit' | 'pull_request'; url: string; title: string; text: string; closes: boolean };

function mentionsOf(event: string, payload: unknown): Mention[] {
  if (event === 'push') {
    return Push.parse(payload).commits.map((commit) => ({
      kind: 'commit', url: commit.url, title: (commit.message.split('\n')[0] ?? '').slice(0, 300), text: commit.message, closes: false,
    }));
  }
  if (event === 'pull_request') {
    const { action, pull_request: pr } = PullRequest.parse(payload);
    return [{ kind: 'pull_request', url: pr.html_url, title: pr.title.slice(0, 300), text: `${pr.title}\n${pr.body ?? ''}`, closes: action === 'closed' && pr.merged === true }];
  }
  return [];
}

async function secretOf(db: Database, masterKey: Buffer, integrationId: string) {
  const integration = await withPlatform(db, { requestId: SYSTEM }, (tx) => repository.findIntegrationAnywhere(tx, integrationId));
  if (integration?.type !== 'github') throw new TenantryError('not_found', 'integration not found');
  const { organizationId, credentialsCiphertext } = integration;
  const secret = await withTenant(db, { organizationId, requestId: SYSTEM }, async (tx) => {
    if (!credentialsCiphertext) return null;
    const dataKey = await organizationDataKey(tx, organizationId, masterKey);
    const credentials: unknown = JSON.parse(decryptSecret(dataKey, Buffer.from(credentialsCiphertext), credentialsContext(organizationId, integrationId)));
    const parsed = z.object({ webhookSecret: z.string().min(1) }).safeParse(credentials);
    return parsed.success ? parsed.data.webhookSecret : null;
  });
  if (!secret) throw new TenantryError('bad_request', 'this integration has no webhookSecret in its credentials; set one, and the same secret in GitHub');
  return { organizationId, secret };
}

/** Verifies and applies one delivery from GitHub; nothing is written unless the signature verifies. */
export async function receiveGithubEvent(
  db: Database,
  masterKey: Buffer,
  request: { integrationId: string; body: string; signature: string | undefined; event: string | undefined },
): Promise<{ event: string; linked: number; completed: number }> {
  const { organizationId, secret } = await secretOf(db, masterKey, request.integrationId);
  if (!request.signature || !(await verify(secret, request.body, request.signature).catch(() => false))) {
    throw new TenantryError('bad_request', 'X-Hub-Signature-256 is missing or does not verify with the webhook secret: nothing was written');
  }
  const event = request.event ?? 'unknown';
  const context = { organizationId, requestId: SYSTEM };
  try {
    const mentions = mentionsOf(event, JSON.parse(request.body));
    return await withTenant(db, context, async (tx) => {
      const result = await apply(tx, organizationId, request.integrationId, mentions);
      await repository.updateIntegration(tx, organizationId, request.integrationId, { status: 'active', lastSyncAt: new Date(), lastError: null });
      return { event, ...result };
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await withTenant(db, context, (tx) =>
      repository.updateIntegration(tx, organizationId, request.integrationId, { status: 'error', lastSyncAt: new Date(), lastError: `${event}: ${message}`.slice(0, 2000) }),
    );
    throw new TenantryError('bad_request', `the ${event} event could not be applied: ${message}`);
  }
}

async function apply(tx: Tx, organizationId: string, integrationId: string, mentions: Mention[]) {
  const links: Parameters<typeof repository.insertTaskLinks>[2] = [];
  const toComplete = new Set<string>();
  for (const mention of mentions) {
    const { named, fixed } = taskReferences(mention.text);
    for (const ref of named) {
      const taskId = await findTaskId(tx, organizationId, ref);
      if (!taskId) continue;
      links.push({ taskId, integrationId, kind: mention.kind, url: mention.url, title: mention.title });
      if (mention.closes && fixed.includes(ref)) toComplete.add(taskId);
    }
  }
  const linked = await repository.insertTaskLinks(tx, organizationId, links);
  const completed = await completeTasksForIntegration(tx, organizationId, [...toComplete]);
  return { linked, completed };
}

import { v7 as uuidv7 } from 'uuid';
import { memberRole } from '../../auth/membership.js';
import type { Tx } from '../../db/tenant-context.js';
import { TenantryError } from '../../errors.js';
import { requireProjectAccess, seesEveryProject } from '../shared/project-access.js';
import { type ServiceCall, inTenant, requirePermission } from '../shared/service-call.js';
import * as repository from './repository.js';

export type { LiveEventInput, LiveEventRow } from './repository.js';

/** The kinds a client may see on the stream; each names what `id` is. */
export const LIVE_EVENT_KINDS = [
  'task.created',
  'task.updated',
  'task.deleted',
  'comment.created',
  'comment.updated',
  'comment.deleted',
  'sprint.created',
  'sprint.updated',
  'sprint.deleted',
  'notifications.created',
] as const;
export type LiveEventKind = (typeof LIVE_EVENT_KINDS)[number];

/** How many missed events a resume replays at most; a client further behind reloads anyway. */
export const REPLAY_LIMIT = 1_000;

/**
 * Announces changes made in `tx` to every server process (NOTIFY, delivered on commit) and keeps
 * them for replay. Call it from the service that makes the change, inside its transaction.
 *
 * @example
 * await publishLiveEvents(tx, organizationId, [{ kind: 'task.updated', projectId, id: task.id }]);
 */
export async function publishLiveEvents(
  tx: Tx,
  organizationId: string,
  events: { kind: LiveEventKind; projectId: string | null; id: string }[],
): Promise<void> {
  if (events.length === 0) return;
  await repository.insertAndNotify(tx, organizationId, withEventIds(events));
}

/** Each event with its own id, time-ordered, which a resume (Last-Event-ID) counts from. */
export function withEventIds(events: { kind: LiveEventKind; projectId: string | null; id: string }[]) {
  return events.map((event) => ({ ...event, eventId: uuidv7() }));
}

/** What the caller's organization published after `afterEventId` (a Last-Event-ID), oldest first. */
export async function missedEvents(call: ServiceCall, afterEventId: string) {
  requirePermission(call, 'read');
  return inTenant(call, (tx) => repository.eventsAfter(tx, call.scope.organizationId, afterEventId, REPLAY_LIMIT));
}

/** How long a stream trusts what it learnt about a project: membership and visibility change while it is open. */
const VISIBILITY_TTL_MS = 5_000;

/**
 * Whether the caller may see the project an event names (private projects: their members and
 * the organization's admins only), asked of the database at most once per project every few
 * seconds. An event of no project is the organization's; a failed check hides the event.
 */
export function projectVisibility(call: ServiceCall): (projectId: string | null) => Promise<boolean> {
  const known = new Map<string, { visible: boolean; at: number }>();
  const ask = (projectId: string) =>
    inTenant(call, (tx) => requireProjectAccess(tx, call.scope, projectId, 'read')).then(
      () => true,
      (error: unknown) => {
        if (!(error instanceof TenantryError && error.code === 'not_found')) throw error;
        return false;
      },
    );
  return async (projectId) => {
    if (projectId === null || seesEveryProject(call.scope)) return true;
    const hit = known.get(projectId);
    if (hit && Date.now() - hit.at < VISIBILITY_TTL_MS) return hit.visible;
    const visible = await ask(projectId).catch(() => false);
    known.set(projectId, { visible, at: Date.now() });
    return visible;
  };
}

/** How long an event stream trusts that its member still is one, with the same role. */
export const MEMBERSHIP_TTL_MS = 5_000;

/**
 * Whether the caller still belongs to the organization with the role the stream opened with,
 * asked of the database at most once every `ttlMs` (the tenant middleware has just checked it
 * when the stream opens). A removed member's stream ends at their next event instead of
 * carrying the organization's ids on; after a role change the client reconnects and is served
 * with the new role (an admin sees every project, a member only theirs). A failed check ends it too.
 */
export function membershipHolds(call: ServiceCall, ttlMs = MEMBERSHIP_TTL_MS): () => Promise<boolean> {
  const { organizationId, userId, role } = call.scope;
  let checkedAt = Date.now();
  let holds = true;
  return async () => {
    if (!holds || Date.now() - checkedAt < ttlMs) return holds;
    checkedAt = Date.now();
    holds = (await memberRole(call.db, organizationId, userId).catch(() => null)) === role;
    return holds;
  };
}

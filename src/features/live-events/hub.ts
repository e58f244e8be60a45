import { v7 as uuidv7 } from 'uuid';
import { type Database, type Listener, listenPostgres } from '../../db/connection.js';
import { withPlatform } from '../../db/tenant-context.js';
import * as repository from './repository.js';
import { type LiveEventRow, REPLAY_LIMIT } from './service.js';

/** How long events stay for replay: a resume after longer starts afresh (the client reloads). */
export const REPLAY_WINDOW_MS = 10 * 60_000;
const PRUNE_EVERY_MS = 60_000;

export type LiveSubscriber = {
  deliver(event: LiveEventRow): void;
  /** The hub closed (the server is stopping): end the stream. */
  closed(): void;
};

/**
 * One server process's side of the live events: a single LISTEN connection, whose events go to
 * the subscribers (SSE streams) of the event's organization only.
 */
export type LiveHub = {
  /** Resolves once the process listens, so that any change committed afterwards reaches `subscriber`. */
  subscribe(organizationId: string, subscriber: LiveSubscriber): Promise<() => void>;
  close(): Promise<void>;
};

/** `since`: the newest event id delivered (or the subscription's start), where a replay after a reconnect begins. */
type Entry = LiveSubscriber & { since: string };

/**
 * Event ids are UUIDv7 made by whichever process wrote the change, so ids from two processes are
 * ordered only up to their clocks' skew and their commit delay: a replay starts this much earlier
 * and the subscriber drops the duplicates (see RecentIds).
 */
const REPLAY_SLACK_MS = 5_000;

export type LiveHubOptions = {
  onError?: (error: unknown) => void;
  /** PostgreSQL to LISTEN on, when not the pool's URL (a pooler in transaction mode cannot LISTEN). */
  listenUrl?: string;
};

export function createLiveHub(db: Database, options: LiveHubOptions = {}): LiveHub {
  const byOrganization = new Map<string, Set<Entry>>();
  let listener: Listener | null = null;
  let pruning: NodeJS.Timeout | undefined;
  let closed = false;
  const onError = options.onError ?? (() => undefined);

  const deliver = (entry: Entry, event: LiveEventRow) => {
    if (event.eventId > entry.since) entry.since = event.eventId;
    entry.deliver(event);
  };

  const onMessage = (payload: string) => {
    const event = parseEvent(payload);
    if (!event) return;
    for (const entry of byOrganization.get(event.organizationId) ?? []) deliver(entry, event);
  };

  // NOTIFYs sent while the connection was down are lost; the replay table has them.
  const onReconnected = () => {
    for (const [organizationId, entries] of byOrganization) {
      const oldest = [...entries].reduce((min, entry) => (entry.since < min ? entry.since : min), uuidv7());
      const after = eventIdAt(timeOfEventId(oldest) - REPLAY_SLACK_MS);
      // Every event of the organization, private projects' included: each stream then keeps
      // only what its member may see (routes.ts), as it does for the live feed.
      withPlatform(db, {}, (tx) => repository.eventsAfter(tx, organizationId, after, REPLAY_LIMIT))
        .then((events) => {
          for (const event of events) for (const entry of byOrganization.get(organizationId) ?? []) deliver(entry, event);
        })
        .catch(onError);
    }
  };

  const start = () => {
    const handlers = { message: onMessage, reconnected: onReconnected };
    listener ??= options.listenUrl ? listenPostgres(options.listenUrl, repository.LIVE_CHANNEL, handlers) : db.listen(repository.LIVE_CHANNEL, handlers);
    if (!pruning) {
      pruning = setInterval(() => {
        withPlatform(db, {}, (tx) => repository.pruneEvents(tx, new Date(Date.now() - REPLAY_WINDOW_MS))).catch(onError);
      }, PRUNE_EVERY_MS);
      pruning.unref();
    }
    return listener.ready;
  };

  return {
    async subscribe(organizationId, subscriber) {
      if (closed) throw new Error('the live event hub is closed');
      const entry: Entry = { ...subscriber, since: uuidv7() };
      const entries = byOrganization.get(organizationId) ?? new Set();
      byOrganization.set(organizationId, entries);
      entries.add(entry);
      await start();
      return () => {
        entries.delete(entry);
        if (entries.size === 0 && byOrganization.get(organizationId) === entries) byOrganization.delete(organizationId);
      };
    },
    async close() {
      closed = true;
      clearInterval(pruning);
      for (const entries of byOrganization.values()) for (const entry of entries) entry.closed();
      byOrganization.clear();
      await listener?.close();
    },
  };
}

/** The smallest UUIDv7 of a millisecond: every event id made in it or later sorts after it. */
export function eventIdAt(msecs: number): string {
  const hex = Math.max(0, Math.floor(msecs)).toString(16).padStart(12, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-7000-8000-000000000000`;
}

/** The millisecond a UUIDv7 was made in. */
export function timeOfEventId(id: string): number {
  return Number.parseInt(id.replace(/-/g, '').slice(0, 12), 16);
}

/** Event ids seen lately, to drop the duplicates a replay and the live feed may both bring. */
export class RecentIds {
  readonly #ids = new Set<string>();
  constructor(readonly capacity = 5_000) {}
  /** true the first time an id is offered, false after. */
  admit(id: string): boolean {
    if (this.#ids.has(id)) return false;
    this.#ids.add(id);
    if (this.#ids.size > this.capacity) {
      const [oldest] = this.#ids;
      if (oldest !== undefined) this.#ids.delete(oldest);
    }
    return true;
  }
}

/** The NOTIFY payload, as repository.insertAndNotify builds it; anything else is ignored. */
function parseEvent(payload: string): LiveEventRow | null {
  try {
    const value: unknown = JSON.parse(payload);
    if (typeof value !== 'object' || value === null) return null;
    const { eventId, kind, organizationId, projectId, id } = value as Record<string, unknown>;
    if (typeof eventId !== 'string' || typeof kind !== 'string' || typeof organizationId !== 'string' || typeof id !== 'string') return null;
    return { eventId, kind, organizationId, projectId: typeof projectId === 'string' ? projectId : null, id };
  } catch {
    return null;
  }
}

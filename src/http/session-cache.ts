import { hash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { Auth } from '../auth/auth.js';
import type { SessionEvents } from './session-events.js';

/**
 * How long a resolved session is trusted without asking the database again. Sign-out, session
 * revocation and bans take effect at once: in this process they clear the cache, and with
 * session events (several server processes on PostgreSQL) every other process clears its own.
 */
export const SESSION_CACHE_MS = 5_000;

export type SessionCache = {
  /** The signed-in user's id, or null: from the cache, or from Better Auth on a miss. */
  userIdOf(headers: Headers): Promise<string | null>;
  /**
   * What `userIdOf` answers when it need not wait: the cached id, or null without credentials;
   * undefined when only Better Auth can say. Lets the hot path skip a promise per request.
   */
  knownUserIdOf(headers: Headers): string | null | undefined;
  /** Forget every cached session, in this process and (through the session events) in every other. */
  forgetAll(): Promise<void>;
};

type Cached = { userId: string };

/**
 * Resolving a session costs Better Auth two queries and its own request machinery, on every
 * API call. Most calls repeat the same credentials within seconds, so the answer is kept
 * briefly, keyed by a hash of the credentials (the raw token never sits in the cache). Only
 * valid sessions are cached, never past their own expiry.
 *
 * With `events`, the cache is used only while they are being heard: a process that cannot
 * hear another's sign-out asks Better Auth every time until it can again.
 */
export function createSessionCache(auth: Auth, options: { ttlMs?: number; maxEntries?: number; events?: SessionEvents } = {}): SessionCache {
  const ttlMs = options.ttlMs ?? SESSION_CACHE_MS;
  const events = options.events;
  const cache = new LRUCache<string, Cached>({ max: options.maxEntries ?? 10_000, ttl: Math.max(ttlMs, 1) });
  // Bumped by every clear: a lookup that started before a sign-out must not cache what it read.
  let generation = 0;
  // Lookups in flight, shared by the requests that miss on the same credentials meanwhile: when an
  // entry lapses under load, every connection's next request misses at once, and each asking
  // Better Auth again cost the benchmark's list 0.13 extra round trips per request. A clear
  // drops them, so a request after a sign-out never waits on a lookup from before it.
  let inFlight = new Map<string, Promise<string | null>>();
  const clear = () => {
    generation++;
    cache.clear();
    inFlight = new Map();
  };
  events?.subscribe(clear);
  const usable = () => ttlMs > 0 && (events?.listening() ?? true);
  const lookUp = async (key: string, headers: Headers): Promise<string | null> => {
    const startedIn = generation;
    const session = await auth.api.getSession({ headers });
    if (!session) return null;
    const untilExpiry = new Date(session.session.expiresAt).getTime() - Date.now();
    if (usable() && untilExpiry > 0 && generation === startedIn) cache.set(key, { userId: session.user.id }, { ttl: Math.min(ttlMs, untilExpiry) });
    return session.user.id;
  };
  return {
    knownUserIdOf(headers) {
      const key = credentialsKey(headers);
      if (key === null) return null;
      return usable() ? cache.get(key)?.userId : undefined;
    },
    async userIdOf(headers) {
      const key = credentialsKey(headers);
      if (key === null) return null;
      const hit = usable() ? cache.get(key) : undefined;
      if (hit) return hit.userId;
      if (!usable()) return lookUp(key, headers);
      const pending = inFlight.get(key);
      if (pending) return pending;
      const lookup = lookUp(key, headers);
      const shared = inFlight;
      shared.set(key, lookup);
      return lookup.finally(() => {
        if (shared.get(key) === lookup) shared.delete(key);
      });
    },
    async forgetAll() {
      clear();
      await events?.publish();
    },
  };
}

/**
 * A digest of whatever can carry a session (bearer token, cookies); null when neither is sent.
 * One-shot `hash`, not a `createHash` object per request: the same SHA-256 of the same bytes.
 */
function credentialsKey(headers: Headers): string | null {
  const authorization = headers.get('authorization') ?? '';
  const cookie = headers.get('cookie') ?? '';
  if (authorization === '' && cookie === '') return null;
  return hash('sha256', `${authorization}\n${cookie}`, 'base64url');
}

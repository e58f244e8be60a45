import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { Auth } from '../auth/auth.js';

/**
 * How long a resolved session is trusted without asking the database again. Sign-out, session
 * revocation and bans made through this process take effect at once (they clear the cache);
 * made through another process, they take effect within this long.
 */
export const SESSION_CACHE_MS = 5_000;

export type SessionCache = {
  /** The signed-in user's id, or null: from the cache, or from Better Auth on a miss. */
  userIdOf(headers: Headers): Promise<string | null>;
  /** Forget every cached session (after anything that may end one). */
  clear(): void;
};

type Cached = { userId: string };

/**
 * Resolving a session costs Better Auth two queries and its own request machinery, on every
 * API call. Most calls repeat the same credentials within seconds, so the answer is kept
 * briefly, keyed by a hash of the credentials (the raw token never sits in the cache). Only
 * valid sessions are cached, never past their own expiry.
 */
export function createSessionCache(auth: Auth, options: { ttlMs?: number; maxEntries?: number } = {}): SessionCache {
  const ttlMs = options.ttlMs ?? SESSION_CACHE_MS;
  const cache = new LRUCache<string, Cached>({ max: options.maxEntries ?? 10_000, ttl: Math.max(ttlMs, 1) });
  return {
    async userIdOf(headers) {
      const key = credentialsKey(headers);
      if (key === null) return null;
      const hit = ttlMs > 0 ? cache.get(key) : undefined;
      if (hit) return hit.userId;
      const session = await auth.api.getSession({ headers });
      if (!session) return null;
      const untilExpiry = new Date(session.session.expiresAt).getTime() - Date.now();
      if (ttlMs > 0 && untilExpiry > 0) cache.set(key, { userId: session.user.id }, { ttl: Math.min(ttlMs, untilExpiry) });
      return session.user.id;
    },
    clear: () => cache.clear(),
  };
}

/** A digest of whatever can carry a session (bearer token, cookies); null when neither is sent. */
function credentialsKey(headers: Headers): string | null {
  const authorization = headers.get('authorization') ?? '';
  const cookie = headers.get('cookie') ?? '';
  if (authorization === '' && cookie === '') return null;
  return createHash('sha256').update(authorization).update('\n').update(cookie).digest('base64url');
}

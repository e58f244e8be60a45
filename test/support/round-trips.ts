import pg from 'pg';
import { vi } from 'vitest';
import type { Actor, ApiHarness } from './api.js';

/**
 * Sends one request as `actor` and counts the database round trips it took: every
 * `pg.Client#query` call is one (a pipeline is a single call). `warmPath` is requested first,
 * uncounted, so the session is already cached. The count means something on PostgreSQL only
 * (PGlite sends no pg queries).
 */
export async function countedRequest(h: ApiHarness, actor: Actor, warmPath: string, method: string, path: string, body?: unknown) {
  await h.request(actor, 'GET', warmPath);
  const sent = vi.spyOn(pg.Client.prototype, 'query');
  try {
    const response = await h.request(actor, method, path, body);
    // A 204 (a delete) has no body to read.
    const answer = response.status === 204 ? {} : ((await response.json()) as Record<string, unknown>);
    return { status: response.status, body: answer, count: sent.mock.calls.length };
  } finally {
    sent.mockRestore();
  }
}

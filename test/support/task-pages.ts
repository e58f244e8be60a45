import { expect } from 'vitest';
import type { Actor, ApiHarness } from './api.js';

/** Every page of a project's task list (`path`, with `query` and pages of `limit`), in order, as ids. */
export async function allTaskPages(h: ApiHarness, actor: Actor, path: string, query: string, limit: number): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const response = await h.request(actor, 'GET', `${path}?limit=${limit}&${query}${cursor ? `&cursor=${cursor}` : ''}`);
    expect(response.status).toBe(200);
    const page = (await response.json()) as { items: { id: string }[]; nextCursor: string | null };
    ids.push(...page.items.map((task) => task.id));
    cursor = page.nextCursor;
  } while (cursor);
  return ids;
}

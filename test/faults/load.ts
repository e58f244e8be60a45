import type { Database } from '../../src/db/connection.js';
import { type Outcome, type RequestSpec, timedRequest } from './http.js';

/** A demo organization as the fault tests use it: its id, one live project, a signed-in owner. */
export type DemoTenant = { slug: string; organizationId: string; projectId: string; token: string };

/** The demo owners `seedDemo` creates (src/seed/content/organizations.ts). */
export const DEMO_OWNERS = {
  acme: { email: 'ada.okafor@acme.example', password: 'demo-acme-owner' },
  globex: { email: 'hank.scorpio@globex.example', password: 'demo-globex-owner' },
} as const;

/** The organization and its first live project (by key), read as a superuser. */
export async function demoOrganization(db: Database, slug: string): Promise<{ organizationId: string; projectId: string }> {
  const [row] = await db.query<{ organization_id: string; project_id: string }>(
    `select o.id as organization_id, p.id as project_id
       from organizations o join projects p on p.organization_id = o.id and p.deleted_at is null
      where o.slug = $1 order by p.key limit 1`,
    [slug],
  );
  if (!row) throw new Error(`demo organization ${slug} with a live project not found: was the demo seeded?`);
  return { organizationId: row.organization_id, projectId: row.project_id };
}

export type LoadOptions = {
  /** Sequential workers; each picks its next request from `next` and pauses `pauseMs` between requests. */
  workers: number;
  pauseMs: number;
  /** The hard bound on requests, whatever the caller's timeline does. */
  maxRequests: number;
  next: (sequence: number, worker: number) => RequestSpec & { token: string };
  timeoutMs?: number;
};

/**
 * A steady stream of requests until `stop()` or `maxRequests`, whichever comes first. Workers
 * are sequential, so a hanging server shows up as a stalled stream and long latencies.
 */
export function startLoad(baseUrl: string, options: LoadOptions): { outcomes: Outcome[]; issued(): number; stop(): Promise<Outcome[]> } {
  const outcomes: Outcome[] = [];
  let issued = 0;
  let stopped = false;
  const worker = async (index: number) => {
    while (!stopped && issued < options.maxRequests) {
      const { token, ...spec } = options.next(issued++, index);
      outcomes.push(await timedRequest(baseUrl, token, spec, options.timeoutMs));
      await new Promise((done) => setTimeout(done, options.pauseMs));
    }
  };
  const finished = Promise.all(Array.from({ length: options.workers }, (_, index) => worker(index)));
  return {
    outcomes,
    issued: () => issued,
    stop: async () => {
      stopped = true;
      await finished;
      return outcomes;
    },
  };
}

export const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));

/** Polls `condition` every `everyMs` until it holds or `timeoutMs` passes; returns whether it held. */
export async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs: number, everyMs = 50): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (await condition()) return true;
    await sleep(everyMs);
  }
  return condition();
}

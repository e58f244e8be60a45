import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateMasterKey } from '../../src/crypto/envelope.js';
import { type Auth, createAuth } from '../../src/auth/auth.js';
import { type App, createApp } from '../../src/http/app.js';
import { type LiveHub, createLiveHub } from '../../src/features/live-events/hub.js';
import type { AiCallSettings } from '../../src/features/ai-generate/call-settings.js';
import type { BillingConfig } from '../../src/features/billing/config.js';
import pino from 'pino';
import { migrate } from '../../src/db/migrator/runner.js';
import type { Role } from '../../src/auth/permissions.js';
import { type TestDatabase, createTestDatabase } from './database.js';

export type Actor = { userId: string; email: string; token: string };
export type Tenant = { organizationId: string; slug: string; actors: Record<Role, Actor> };

export type ApiHarness = {
  test: TestDatabase;
  app: App;
  masterKey: Buffer;
  dataDir: string;
  /** The JSON log lines the app wrote so far. */
  logLines: string[];
  auth: Auth;
  /** The app's live event fan-out, closed by destroy(). */
  liveEvents: LiveHub;
  /** Two fresh organizations, each with a signed-in owner, admin, member and viewer. */
  tenantA: Tenant;
  tenantB: Tenant;
  /** Sends a request as `actor` (bearer token), or anonymously with null. */
  request(actor: Actor | null, method: string, path: string, body?: unknown): Promise<Response>;
  signUp(label: string): Promise<Actor>;
  destroy(): Promise<void>;
};

/**
 * A migrated fresh database, the real app (Better Auth included) and two tenants with every
 * role, for in-process `app.request` tests. Plans and features are seeded; nothing else is.
 */
export async function createApiHarness(
  options: { signInPerMinute?: number; sessionCacheMs?: number; billing?: BillingConfig; outbound?: { allowPrivate: boolean }; ai?: AiCallSettings; liveMembershipTtlMs?: number } = {},
): Promise<ApiHarness> {
  const test = await createTestDatabase();
  await migrate(test.db);
  await test.db.query(
    `insert into subscription_plans (code, name, price_cents, billing_period, max_members, max_projects, max_tasks)
     values ('free', 'Free', 0, 'monthly', 10, 5, 200), ('pro', 'Pro', 2900, 'monthly', null, null, null)
     on conflict do nothing`,
  );
  const auth = createAuth({ db: test.db, secret: randomBytes(32).toString('hex'), baseUrl: 'http://localhost', signInPerMinute: options.signInPerMinute ?? 0 });
  const masterKey = generateMasterKey();
  const dataDir = mkdtempSync(join(tmpdir(), 'tenantry-api-'));
  // Every log line the app writes, so tests can prove what never reaches a log.
  const logLines: string[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void logLines.push(line) });
  const liveEvents = createLiveHub(test.db);
  const app = createApp({ db: test.db, auth, logger, masterKey, dataDir, sessionCacheMs: options.sessionCacheMs, liveEvents,
    ...(options.liveMembershipTtlMs === undefined ? {} : { liveMembershipTtlMs: options.liveMembershipTtlMs }),
    ...(options.billing ? { billing: options.billing } : {}),
    ...(options.outbound ? { outbound: options.outbound } : {}),
    ...(options.ai ? { ai: options.ai } : {}),
  });
  const run = randomBytes(4).toString('hex');

  const request = async (actor: Actor | null, method: string, path: string, body?: unknown) =>
    app.request(path, {
      method,
      headers: {
        ...(actor ? { authorization: `Bearer ${actor.token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });

  let signUps = 0;
  const signUp = async (label: string): Promise<Actor> => {
    const email = `${label}-${run}@example.test`;
    const response = await app.request('/api/auth/sign-up/email', {
      method: 'POST',
      // A documentation address per sign-up, so a rate-limited harness still sets up its users.
      headers: { 'content-type': 'application/json', 'x-forwarded-for': `192.0.2.${++signUps}` },
      body: JSON.stringify({ email, password: 'correct horse battery', name: label }),
    });
    const token = response.headers.get('set-auth-token');
    const payload = (await response.json()) as { user?: { id: string } };
    if (!response.ok || !token || !payload.user) throw new Error(`sign-up failed: ${response.status} ${JSON.stringify(payload)}`);
    return { userId: payload.user.id, email, token };
  };

  const makeTenant = async (slug: string): Promise<Tenant> => {
    const owner = await signUp(`${slug}-owner`);
    const created = await request(owner, 'POST', '/api/v1/organizations', { name: `Org ${slug}`, slug: `${slug}-${run}` });
    const org = (await created.json()) as { id?: string };
    if (!created.ok || !org.id) throw new Error(`organization create failed: ${created.status} ${JSON.stringify(org)}`);
    const others = await Promise.all((['admin', 'member', 'viewer'] as const).map((role) => signUp(`${slug}-${role}`)));
    const [admin, member, viewer] = others as [Actor, Actor, Actor];
    const actors: Record<Role, Actor> = { owner, admin, member, viewer };
    for (const role of ['admin', 'member', 'viewer'] as const) {
      await test.db.query(`insert into members (organization_id, user_id, role) values ($1, $2, $3)`, [org.id, actors[role].userId, role]);
    }
    return { organizationId: org.id, slug: `${slug}-${run}`, actors };
  };

  const tenantA = await makeTenant('a');
  const tenantB = await makeTenant('b');
  const destroy = async () => {
    await liveEvents.close();
    await test.destroy();
  };
  return { test, app, auth, liveEvents, masterKey, dataDir, logLines, tenantA, tenantB, request, signUp, destroy };
}

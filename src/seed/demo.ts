import type { Database } from '../db/connection.js';
import { TenantryError } from '../errors.js';
import { SeedClock } from './clock.js';
import { DEMO_ORGANIZATIONS, type DemoOrganization, membershipsOf } from './content/organizations.js';
import { type OrganizationSeed, organizationSeed } from './context.js';
import { DataKeys } from './data-keys.js';
import { seedAi } from './demo-ai.js';
import { seedWebhooks } from './demo-webhooks.js';
import { seedDocuments } from './demo-documents.js';
import { seedInsights } from './demo-insights.js';
import { seedNotifications } from './demo-notifications.js';
import { seedOrganization } from './demo-organizations.js';
import { seedDemoUsers } from './demo-users.js';
import { seedWork } from './demo-work.js';
import { seedReferenceData } from './reference-data.js';
import { SeedWriter } from './writer.js';

export type SeedLogin = { email: string; password: string; role: string; organization: string };

export type SeedSummary = {
  /** Demo organizations present after the run (0 in production). */
  organizations: number;
  /** Every demo sign-in, one per membership (the consultant appears once per organization). */
  logins: SeedLogin[];
  /** Rows this run inserted, by table, audit rows written by triggers included; empty when all was there. */
  rows: Record<string, number>;
  /** Production gets the reference data only: no demo organizations, no demo users. */
  demoData: 'seeded' | 'refused_in_production';
};

export type SeedOptions = {
  production: boolean;
  /** The platform master key that wraps each demo organization's data key; required unless `production`. */
  masterKey?: Buffer;
  /** One line per organization seeded. */
  onProgress?: (line: string) => void;
  /** The moment dates are relative to (tests pin it); defaults to now. */
  now?: Date;
};

/**
 * Loads the reference data (plans, features, public templates) and, outside production, the
 * demo: users, two organizations with every role, and rows in every tenant table. Idempotent:
 * rows have name-derived ids and are inserted with `on conflict do nothing`, so a second run
 * inserts, hashes and encrypts nothing. Each organization is one transaction.
 *
 * @example
 * const summary = await seedDemo(db, { production: false, masterKey, onProgress: console.log });
 */
export async function seedDemo(db: Database, options: SeedOptions): Promise<SeedSummary> {
  // Checked before anything is written, so a missing key never leaves the demo half-seeded.
  const masterKey = options.production ? null : requireMasterKey(options.masterKey);
  return db.session(async (session) => {
    const writer = new SeedWriter(session);
    await writer.transaction(null, () => seedReferenceData(writer));
    if (masterKey === null) {
      return { organizations: 0, logins: [], rows: writer.inserted(), demoData: 'refused_in_production' };
    }

    await writer.transaction(null, () => seedDemoUsers(writer));
    const keys = new DataKeys(masterKey);
    const clock = new SeedClock(options.now);
    for (const organization of DEMO_ORGANIZATIONS) {
      const seed = organizationSeed(organization, writer, keys, clock);
      const before = writer.total();
      await writer.transaction(seed.user('owner'), () => seedOrganizationData(seed));
      const inserted = writer.total() - before;
      options.onProgress?.(
        `${organization.name} (${organization.slug}): ` +
          (inserted === 0 ? 'already seeded, nothing inserted' : `inserted ${inserted} rows`),
      );
    }
    return {
      organizations: DEMO_ORGANIZATIONS.length,
      logins: DEMO_ORGANIZATIONS.flatMap(loginsOf),
      rows: writer.inserted(),
      demoData: 'seeded',
    };
  });
}

async function seedOrganizationData(seed: OrganizationSeed): Promise<void> {
  const auditRows = async () => {
    const [row] = await seed.writer.session.query<{ n: number }>(
      'select count(*)::int as n from audit_logs where organization_id = $1',
      [seed.id],
    );
    return row?.n ?? 0;
  };
  const auditBefore = await auditRows();
  await seedOrganization(seed);
  await seedWork(seed);
  await seedDocuments(seed);
  await seedAi(seed);
  await seedInsights(seed);
  await seedNotifications(seed);
  await seedWebhooks(seed);
  seed.writer.count('audit_logs', (await auditRows()) - auditBefore);
}

function requireMasterKey(masterKey: Buffer | undefined): Buffer {
  if (!masterKey) {
    throw new TenantryError(
      'bad_request',
      'the demo seed encrypts secrets and needs the master key: pass options.masterKey (the CLI loads it with loadMasterKey)',
    );
  }
  return masterKey;
}

function loginsOf(organization: DemoOrganization): SeedLogin[] {
  return membershipsOf(organization).map(({ person, role }) => ({
    email: person.email,
    password: person.password,
    role,
    organization: organization.name,
  }));
}

import type { Command } from 'commander';
import type { AppConfig } from '../../config.js';
import { ensureDatabaseExists } from '../../db/admin.js';
import { openDatabase } from '../../db/connection.js';
import { migrate } from '../../db/migrator/runner.js';
import { TenantryError } from '../../errors.js';
import { loadConfig } from '../../config.js';
import { type SeedSummary, seedDemo } from '../../seed/demo.js';
import { validateDatabase } from '../../validate/index.js';
import { say } from '../runtime.js';
import { printMigrationEvent } from './db-migrate.js';
import { printSeedSummary, seedOptions } from './db-seed.js';
import { printFindings } from './db-validate.js';

export type InitOptions = { seed: boolean };

export function registerInit(db: Command): void {
  db.command('init')
    .description('create roles (and the database), migrate, seed demo data and validate; safe to re-run')
    .option('--no-seed', 'skip the demo data')
    .action(async (options: InitOptions) => {
      await initDatabase(loadConfig(), options);
    });
}

/** The whole set-up in one idempotent step; a second run changes nothing. */
export async function initDatabase(config: AppConfig, options: InitOptions): Promise<SeedSummary | null> {
  if (config.database.kind === 'postgres' && (await ensureDatabaseExists(config.database.url))) {
    say('Created the database.');
  }
  const db = await openDatabase(config.database, { maxConnections: 4 });
  try {
    say(`Initialising ${db.kind} at ${db.location}`);
    const applied = await migrate(db, { onApplied: printMigrationEvent });
    say(applied.length === 0 ? 'Schema already up to date.' : `Applied ${applied.length} migration(s).`);
    let summary: SeedSummary | null = null;
    if (options.seed) {
      summary = await seedDemo(db, seedOptions(config));
      printSeedSummary(summary);
    }
    const report = await validateDatabase(db);
    printFindings(report);
    if (!report.ok) throw new TenantryError('refused', `validation found ${report.findings.length} problem(s)`);
    return summary;
  } finally {
    await db.close();
  }
}

import type { Command } from 'commander';
import type { AppConfig } from '../../config.js';
import { ensureDatabaseExists } from '../../db/admin.js';
import { openDatabase } from '../../db/connection.js';
import { migrate, migrationStatus } from '../../db/migrator/runner.js';
import { TenantryError, sqlState } from '../../errors.js';
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

/**
 * The whole set-up in one idempotent step; a second run changes nothing. Runs on
 * DATABASE_DIRECT_URL when set: the migration lock is a session-level advisory lock, which a
 * transaction-mode pooler cannot hold.
 */
export async function initDatabase(config: AppConfig, options: InitOptions): Promise<SeedSummary | null> {
  const target = config.migrationDatabase;
  if (target.kind === 'postgres' && (await ensureDatabaseExists(target.url))) {
    say('Created the database.');
  }
  const db = await openDatabase(target, { maxConnections: 4 });
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

/**
 * What `npm start` does before serving. PGlite: init as always (the first run migrates and
 * seeds). PostgreSQL: a database with no migrations yet is initialised the same way; a current
 * one is left alone (nothing to lock, which a pooler could not do); one that is behind refuses,
 * naming the command, because migrating a shared database is an operator's decision.
 */
export async function prepareToServe(config: AppConfig, options: InitOptions): Promise<void> {
  if (config.database.kind === 'pglite') {
    await initDatabase(config, options);
    return;
  }
  const pending = await pendingMigrations(config.database);
  if (pending === null) {
    await initDatabase(config, options);
  } else if (pending.length === 0) {
    say('Schema is current; starting without migrating.');
  } else {
    throw new TenantryError(
      'refused',
      `the database is ${pending.length} migration(s) behind (next: ${pending[0]}); run \`npx tenantry db migrate\`, then start again`,
    );
  }
}

/** Versions not yet applied, or null for a database that has none applied (or does not exist yet). */
async function pendingMigrations(database: AppConfig['database']): Promise<string[] | null> {
  let db;
  try {
    db = await openDatabase(database, { maxConnections: 1 });
  } catch (error) {
    if (sqlState(error) === '3D000') return null;
    throw error;
  }
  try {
    const states = await migrationStatus(db);
    if (states.every((s) => s.status === 'pending')) return null;
    return states.filter((s) => s.status === 'pending').map((s) => `${s.version}_${s.name}`);
  } catch (error) {
    if (sqlState(error) === '3D000') return null;
    throw error;
  } finally {
    await db.close();
  }
}

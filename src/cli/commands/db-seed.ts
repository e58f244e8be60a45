import type { Command } from 'commander';
import type { AppConfig } from '../../config.js';
import { loadMasterKey } from '../../crypto/master-key.js';
import { type SeedOptions, type SeedSummary, seedDemo } from '../../seed/demo.js';
import { say, withDatabase } from '../runtime.js';

export function registerSeed(db: Command): void {
  db.command('seed')
    .description('load idempotent demo data (two organizations, every role, every table) and print the logins')
    .action(async () => {
      await withDatabase(async (database, config) => {
        printSeedSummary(await seedDemo(database, seedOptions(config)));
      });
    });
}

/**
 * What `db seed` and `db init` pass to seedDemo: production gets reference data only and so
 * needs no master key; elsewhere the key is loaded (or, outside production, generated).
 */
export function seedOptions(config: AppConfig): SeedOptions {
  const production = config.nodeEnv === 'production';
  return {
    production,
    masterKey: production
      ? undefined
      : loadMasterKey({
          env: process.env,
          dataDir: config.dataDir,
          nodeEnv: config.nodeEnv,
          warn: (line) => process.stderr.write(`warning: ${line}\n`),
        }),
    onProgress: (line) => say(`  ${line}`),
  };
}

export function printSeedSummary(summary: SeedSummary): void {
  const inserted = Object.values(summary.rows).reduce((sum, n) => sum + n, 0);
  const tables = Object.keys(summary.rows).length;
  say(inserted === 0 ? 'Seed: everything was already there, nothing inserted.' : `Seed: inserted ${inserted} rows into ${tables} tables.`);
  if (summary.demoData === 'refused_in_production') {
    say('Production: reference data only (plans, features, public templates); demo organizations and users were not created.');
    return;
  }
  say(`Demo data: ${summary.organizations} organizations.`);
  say('Demo logins:');
  for (const login of summary.logins) {
    say(`  ${login.email.padEnd(34)} ${login.password.padEnd(20)} ${login.role.padEnd(7)} ${login.organization}`);
  }
}

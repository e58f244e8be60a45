import type { Command } from 'commander';
import { type SeedSummary, seedDemo } from '../../seed/demo.js';
import { say, withDatabase } from '../runtime.js';

export function registerSeed(db: Command): void {
  db.command('seed')
    .description('load idempotent demo data (two organizations, every role, every table) and print the logins')
    .action(async () => {
      await withDatabase(async (database, config) => {
        printSeedSummary(await seedDemo(database, { production: config.nodeEnv === 'production' }));
      });
    });
}

export function printSeedSummary(summary: SeedSummary): void {
  const total = Object.values(summary.rows).reduce((sum, n) => sum + n, 0);
  say(`Demo data: ${summary.organizations} organizations, ${total} rows.`);
  if (summary.logins.length === 0) return;
  say('Demo logins (password for all: shown per line):');
  for (const login of summary.logins) {
    say(`  ${login.email.padEnd(32)} ${login.password.padEnd(16)} ${login.role.padEnd(7)} ${login.organization}`);
  }
}

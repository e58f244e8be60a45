import type { Command } from 'commander';
import { type MigrationEvent, migrate } from '../../db/migrator/runner.js';
import { say, withDatabase } from '../runtime.js';

export function registerMigrate(db: Command): void {
  db.command('migrate')
    .description('apply pending migrations in order (creates the tenantry roles when missing)')
    .option('--to <version>', 'stop after this version (e.g. 0003)')
    .option('--allow-drift', 'run even though an applied migration file has changed')
    .action(async (options: { to?: string; allowDrift?: boolean }) => {
      await withDatabase(async (database) => {
        say(`Migrating ${database.kind} at ${database.location}`);
        const applied = await migrate(database, { ...options, onApplied: printMigrationEvent });
        say(applied.length === 0 ? 'Already up to date.' : `Applied ${applied.length} migration(s).`);
      }, { migrations: true });
    });
}

export function printMigrationEvent(event: MigrationEvent): void {
  const arrow = event.direction === 'up' ? '↑' : '↓';
  say(`  ${arrow} ${event.migration.version}_${event.migration.name} (${Math.round(event.durationMs)} ms)`);
}

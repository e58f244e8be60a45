import type { Command } from 'commander';
import { migrationStatus } from '../../db/migrator/runner.js';
import { printJson, say, withDatabase } from '../runtime.js';

export function registerStatus(db: Command): void {
  db.command('status')
    .description('list migrations as applied, pending, drifted (file changed) or missing (file gone)')
    .option('--json', 'print JSON instead of a table')
    .action(async (options: { json?: boolean }) => {
      await withDatabase(async (database) => {
        const states = await migrationStatus(database);
        if (options.json) {
          printJson({ database: database.kind, location: database.location, migrations: states });
          return;
        }
        say(`${database.kind} at ${database.location}`);
        for (const state of states) {
          const when = state.appliedAt ? state.appliedAt.toISOString() : '';
          say(`  ${state.status.padEnd(8)} ${state.version}_${state.name.padEnd(28)} ${when}`);
        }
        const counts = ['applied', 'pending', 'drifted', 'missing'].map(
          (status) => `${states.filter((s) => s.status === status).length} ${status}`,
        );
        say(counts.join(', '));
      });
    });
}

import type { Command } from 'commander';
import { rollback } from '../../db/migrator/runner.js';
import { InvalidArgumentError } from 'commander';
import { positiveInteger, say, withDatabase } from '../runtime.js';
import { printMigrationEvent } from './db-migrate.js';

type RollbackFlags = { steps?: number; to?: string; all?: boolean };

export function registerRollback(db: Command): void {
  db.command('rollback')
    .description('undo applied migrations, newest first (default: the last one)')
    .option('--steps <n>', 'how many migrations to undo', positiveInteger('--steps'))
    .option('--to <version>', 'undo everything applied after this version')
    .option('--all', 'undo every applied migration')
    .action(async (flags: RollbackFlags) => {
      const chosen = [flags.steps !== undefined, flags.to !== undefined, flags.all === true].filter(Boolean);
      if (chosen.length > 1) throw new InvalidArgumentError('choose one of --steps, --to and --all');
      await withDatabase(async (database) => {
        say(`Rolling back on ${database.kind} at ${database.location}`);
        const undone = await rollback(database, { ...flags, onApplied: printMigrationEvent });
        say(undone.length === 0 ? 'Nothing to roll back.' : `Rolled back ${undone.length} migration(s).`);
      });
    });
}

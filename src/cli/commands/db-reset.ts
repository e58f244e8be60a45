import { rmSync } from 'node:fs';
import type { Command } from 'commander';
import { loadConfig } from '../../config.js';
import { dropDatabase } from '../../db/admin.js';
import { TenantryError } from '../../errors.js';
import { say } from '../runtime.js';
import { initDatabase } from './db-init.js';

export function registerReset(db: Command): void {
  db.command('reset')
    .description('drop the database and initialise it again (refused in production without --force)')
    .option('--force', 'allow it when NODE_ENV=production')
    .option('--no-seed', 'skip the demo data')
    .action(async (options: { force?: boolean; seed: boolean }) => {
      const config = loadConfig();
      if (config.nodeEnv === 'production' && !options.force) {
        throw new TenantryError('refused', 'refusing to reset a production database; pass --force if you mean it');
      }
      if (config.database.kind === 'postgres') {
        await dropDatabase(config.database.url);
      } else {
        rmSync(config.database.dataDir, { recursive: true, force: true });
      }
      say('Dropped the database.');
      await initDatabase(config, { seed: options.seed });
    });
}

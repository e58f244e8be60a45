import type { Command } from 'commander';
import { describeTarget, restoreBackup, restoreTarget } from '../../backup/index.js';
import { loadConfig } from '../../config.js';
import { TenantryError } from '../../errors.js';
import { say } from '../runtime.js';
import { printFindings } from './db-validate.js';

export function registerRestore(db: Command): void {
  db.command('restore')
    .description('restore a backup into an empty database, then check every table against the backup and validate')
    .argument('<file>', 'a file written by tenantry db backup')
    .option('--into <target>', 'a postgres:// URL (created when missing) or a PGlite folder; default: the configured database')
    .action(async (file: string, options: { into?: string }) => {
      const target = restoreTarget(options.into, loadConfig().database);
      say(`Restoring ${file} into ${describeTarget(target)}`);
      const result = await restoreBackup(file, target, { onProgress: say });
      say(`Restored ${result.tables} tables, ${result.rows} rows: every row count and checksum matches the backup.`);
      printFindings(result.report);
      if (!result.report.ok) {
        throw new TenantryError('validation_failed', `the restored database fails validation with ${result.report.findings.length} finding(s)`);
      }
      say(`Restore complete in ${result.elapsed}.`);
    });
}

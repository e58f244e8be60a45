import type { Command } from 'commander';
import { backupDatabase, defaultBackupFile } from '../../backup/index.js';
import { loadConfig } from '../../config.js';
import { redactUrl } from '../../db/connection.js';
import { say } from '../runtime.js';

export function registerBackup(db: Command): void {
  db.command('backup')
    .description('write a full, compressed backup: pg_dump custom format on PostgreSQL, the data folder on PGlite, with per-table row counts and checksums')
    .option('--out <file>', 'where to write it (default: ./tenantry-backup-<time>.tar); never overwrites')
    .action(async (options: { out?: string }) => {
      const { database } = loadConfig();
      say(`Backing up ${database.kind} at ${database.kind === 'postgres' ? redactUrl(database.url) : database.dataDir}`);
      const result = await backupDatabase(database, { out: options.out ?? defaultBackupFile(new Date()), onProgress: say });
      const rows = result.manifest.tables.reduce((sum, table) => sum + table.rows, 0);
      say(`Backup written: ${result.file} (${formatBytes(result.bytes)}, ${result.manifest.tables.length} tables, ${rows} rows) in ${result.elapsed}.`);
    });
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

import { join } from 'node:path';
import type { Command } from 'commander';
import { DEFAULT_RETENTION_DAYS, purgeDeleted } from '../../purge/index.js';
import { LocalDiskBlobStore } from '../../storage/local-disk.js';
import { positiveInteger, say, withDatabase } from '../runtime.js';

export function registerPurge(db: Command): void {
  db.command('purge')
    .description(`remove for good the rows soft-deleted longer ago than the retention period (TENANTRY_RETENTION_DAYS, default ${DEFAULT_RETENTION_DAYS}), audited as the system`)
    .option('--older-than <days>', 'purge rows soft-deleted more than this many days ago (default: the retention period)', positiveInteger('--older-than'))
    .option('--dry-run', 'count what would be purged, delete nothing')
    .action(async (options: { olderThan?: number; dryRun?: boolean }) => {
      await withDatabase(async (database, config) => {
        const blobStore = new LocalDiskBlobStore(join(config.dataDir, 'blobs'));
        await purgeDeleted(database, { olderThanDays: options.olderThan, dryRun: options.dryRun ?? false, onProgress: say, blobStore });
      });
    });
}

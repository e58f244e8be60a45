import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TenantryError } from '../../errors.js';

/** A migration as it is on disk: `migrations/0001_name/{up,down}.sql`. */
export type MigrationFile = {
  /** The four-digit prefix: `0001`. */
  version: string;
  /** The folder name without the prefix: `foundation`. */
  name: string;
  up: string;
  down: string;
  /** sha256 over both scripts, so editing either one after it ran counts as drift. */
  checksum: string;
  /** False when up.sql opts out with `-- tenantry:no-transaction` (e.g. CREATE INDEX CONCURRENTLY). */
  transactional: boolean;
};

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../../migrations', import.meta.url));
const FOLDER_PATTERN = /^(\d{4})_([a-z0-9_]+)$/;
export const NO_TRANSACTION_MARK = /^--\s*tenantry:no-transaction\b/m;

/** Reads every migration folder in version order and refuses a malformed set outright. */
export function loadMigrations(dir: string = MIGRATIONS_DIR): MigrationFile[] {
  if (!existsSync(dir)) throw new TenantryError('migration_failed', `no migrations folder at ${dir}`);
  const migrations = readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => {
      const match = FOLDER_PATTERN.exec(entry.name);
      if (!match?.[1] || !match[2]) {
        throw new TenantryError('migration_failed', `migration folder "${entry.name}" is not named NNNN_snake_name`);
      }
      const up = readScript(join(dir, entry.name, 'up.sql'));
      const down = readScript(join(dir, entry.name, 'down.sql'));
      return {
        version: match[1],
        name: match[2],
        up,
        down,
        checksum: createHash('sha256').update(up).update('\0').update(down).digest('hex'),
        transactional: !NO_TRANSACTION_MARK.test(up),
      };
    })
    .sort((a, b) => a.version.localeCompare(b.version));

  const seen = new Set<string>();
  for (const { version } of migrations) {
    if (seen.has(version)) throw new TenantryError('migration_failed', `two migrations share version ${version}`);
    seen.add(version);
  }
  return migrations;
}

function readScript(path: string): string {
  if (!existsSync(path)) throw new TenantryError('migration_failed', `missing ${path}: every migration needs up.sql and down.sql`);
  return readFileSync(path, 'utf8');
}

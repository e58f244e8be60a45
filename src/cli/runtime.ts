import { InvalidArgumentError } from 'commander';
import { type AppConfig, loadConfig } from '../config.js';
import { type Database, openDatabase } from '../db/connection.js';

/**
 * Opens the configured database for one command and always closes it afterwards; `migrations`
 * opens DATABASE_DIRECT_URL instead when it is set (see AppConfig.migrationDatabase).
 */
export async function withDatabase<T>(
  work: (db: Database, config: AppConfig) => Promise<T>,
  { migrations = false }: { migrations?: boolean } = {},
): Promise<T> {
  const config = loadConfig();
  const db = await openDatabase(migrations ? config.migrationDatabase : config.database, { maxConnections: 4 });
  try {
    return await work(db, config);
  } finally {
    await db.close();
  }
}

/** Progress and results go to stdout; `--json` callers print only the JSON document. */
export function say(line = ''): void {
  process.stdout.write(`${line}\n`);
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Parses a positive whole-number flag, so `--steps two` is a clear error and not NaN. */
export function positiveInteger(flag: string) {
  return (value: string): number => {
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < 1) {
      throw new InvalidArgumentError(`${flag} takes a whole number of 1 or more, not "${value}"`);
    }
    return parsed;
  };
}

import type { Command } from 'commander';
import { registerBackup } from './db-backup.js';
import { registerDistribute } from './db-distribute.js';
import { registerInit } from './db-init.js';
import { registerLint } from './db-lint.js';
import { registerMigrate } from './db-migrate.js';
import { registerPurge } from './db-purge.js';
import { registerReset } from './db-reset.js';
import { registerRestore } from './db-restore.js';
import { registerRollback } from './db-rollback.js';
import { registerSeed } from './db-seed.js';
import { registerStatus } from './db-status.js';
import { registerValidate } from './db-validate.js';

/** `tenantry db …`: every sub-command lives in its own file. */
export function registerDbCommands(program: Command): void {
  const db = program
    .command('db')
    .description('create, migrate, seed and check the database (DATABASE_URL, or PGlite in ./.data)');
  for (const register of [
    registerInit, registerMigrate, registerRollback, registerStatus, registerSeed, registerValidate, registerReset,
    registerLint, registerBackup, registerRestore, registerDistribute, registerPurge,
  ]) {
    register(db);
  }
}

import { type Command, InvalidArgumentError } from 'commander';
import type { AppConfig } from '../../config.js';
import { loadMasterKey } from '../../crypto/master-key.js';
import { TenantryError } from '../../errors.js';
import { type SeedOptions, type SeedSummary, seedDemo } from '../../seed/demo.js';
import { progressReporter } from '../../seed/scale/progress.js';
import { DEFAULT_TASKS_PER_ORGANIZATION, type ScaleSummary, seedScale } from '../../seed/scale/seed-scale.js';
import { positiveInteger, say, withDatabase } from '../runtime.js';

/** Measured: 100k tasks (535k rows) load in about two minutes on PGlite; much beyond, PostgreSQL is the tool. */
const PGLITE_COMFORTABLE_TASKS = 100_000;

type SeedFlags = { scale?: number; tasks?: number; seed?: number; asOf?: Date; withTriggers?: boolean };

export function registerSeed(db: Command): void {
  db.command('seed')
    .description('load idempotent demo data (two organizations, every role, every table) and print the logins; with --scale, generated benchmark tenants')
    .option('--scale <n>', 'instead of the demo, load N generated organizations with COPY (benchmark data)', positiveInteger('--scale'))
    .option('--tasks <total>', `with --scale: tasks over all organizations, Zipf-skewed (default: ${DEFAULT_TASKS_PER_ORGANIZATION} × N)`, positiveInteger('--tasks'))
    .option('--seed <n>', 'with --scale: PRNG seed; the same seed and --as-of give the same rows (default: 1)', seedNumber)
    .option('--as-of <date>', 'with --scale: the day dates are relative to, YYYY-MM-DD (default: today)', asOfDate)
    .option('--with-triggers', 'with --scale: keep triggers and foreign-key checks on during COPY (slow; automatic when not superuser)')
    .action(async (flags: SeedFlags) => {
      if (flags.scale === undefined) {
        const scaleOnly = (['tasks', 'seed', 'asOf', 'withTriggers'] as const).filter((flag) => flags[flag] !== undefined);
        if (scaleOnly.length > 0) throw new TenantryError('bad_request', `--${kebab(scaleOnly[0] ?? '')} needs --scale`);
        await withDatabase(async (database, config) => {
          printSeedSummary(await seedDemo(database, seedOptions(config)));
        });
        return;
      }
      await seedScaleCommand({ ...flags, scale: flags.scale });
    });
}

async function seedScaleCommand(flags: SeedFlags & { scale: number }): Promise<void> {
  await withDatabase(async (database, config) => {
    if (config.nodeEnv === 'production') {
      throw new TenantryError('refused', 'db seed --scale creates fake tenants and refuses to run with NODE_ENV=production');
    }
    const tasks = flags.tasks ?? flags.scale * DEFAULT_TASKS_PER_ORGANIZATION;
    if (database.kind === 'pglite' && tasks > PGLITE_COMFORTABLE_TASKS) {
      process.stderr.write(
        `warning: PGlite loads about 5,000 rows/s (100,000 tasks take ~2 minutes) in one process; for ${tasks.toLocaleString('en-US')} tasks set DATABASE_URL to a PostgreSQL server\n`,
      );
    }
    say(`Scale seed ${flags.seed ?? 1}: ${flags.scale.toLocaleString('en-US')} organizations, ${tasks.toLocaleString('en-US')} tasks into ${database.location}`);
    const progress = progressReporter(say);
    let summary: ScaleSummary;
    try {
      summary = await seedScale(database, {
        organizations: flags.scale,
        tasks,
        seed: flags.seed,
        asOf: flags.asOf,
        withTriggers: flags.withTriggers,
        onProgress: (event) => progress.onProgress(event),
      });
    } finally {
      progress.stop();
    }
    printScaleSummary(summary);
  });
}

function seedNumber(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0 || parsed > 2 ** 31 - 1) {
    throw new InvalidArgumentError(`--seed takes a whole number from 0 to 2147483647, not "${value}"`);
  }
  return parsed;
}

function asOfDate(value: string): Date {
  const parsed = new Date(`${value}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(parsed.getTime())) {
    throw new InvalidArgumentError(`--as-of takes a date as YYYY-MM-DD, not "${value}"`);
  }
  return parsed;
}

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}

export function printScaleSummary(summary: ScaleSummary): void {
  const number = (n: number) => n.toLocaleString('en-US');
  say(
    summary.mode === 'bulk'
      ? `Mode: bulk (triggers and foreign-key checks off during COPY; audit rows generated; references checked before commit; ${summary.rebuiltIndexes.length} secondary indexes built after the load).`
      : 'Mode: triggers on (the connecting role may not set session_replication_role, or --with-triggers): slower, checked row by row.',
  );
  for (const table of summary.tables) {
    const rate = table.ms > 0 ? `${number(Math.round(table.rows / (table.ms / 1000)))} rows/s` : 'written by the audit trigger';
    say(`  ${table.table.padEnd(16)} ${number(table.rows).padStart(12)} rows  ${(table.ms / 1000).toFixed(1).padStart(7)} s  ${rate}`);
  }
  say(
    `Scale seed ${summary.seed} (as of ${summary.asOf}): ${number(summary.totalRows)} rows in ${(summary.elapsedMs / 1000).toFixed(1)} s, ` +
      `${number(summary.rowsPerSecond)} rows/s overall (planning, COPY, checks, commit and ANALYZE included).`,
  );
  say('Largest organizations:');
  for (const o of summary.largest) {
    say(`  ${o.slug.padEnd(20)} ${number(o.tasks).padStart(10)} tasks ${number(o.members).padStart(6)} members ${number(o.projects).padStart(5)} projects  ${o.id}`);
  }
  say(`Scale users (user-${summary.seed}-<org>-<n>@scale.example) have no password and cannot sign in.`);
  say('Run `tenantry db validate` for the full integrity and isolation check.');
}

/**
 * What `db seed` and `db init` pass to seedDemo: production gets reference data only and so
 * needs no master key; elsewhere the key is loaded (or, outside production, generated).
 */
export function seedOptions(config: AppConfig): SeedOptions {
  const production = config.nodeEnv === 'production';
  return {
    production,
    masterKey: production
      ? undefined
      : loadMasterKey({
          env: process.env,
          dataDir: config.dataDir,
          nodeEnv: config.nodeEnv,
          warn: (line) => process.stderr.write(`warning: ${line}\n`),
        }),
    onProgress: (line) => say(`  ${line}`),
  };
}

export function printSeedSummary(summary: SeedSummary): void {
  const inserted = Object.values(summary.rows).reduce((sum, n) => sum + n, 0);
  const tables = Object.keys(summary.rows).length;
  say(inserted === 0 ? 'Seed: everything was already there, nothing inserted.' : `Seed: inserted ${inserted} rows into ${tables} tables.`);
  if (summary.demoData === 'refused_in_production') {
    say('Production: reference data only (plans, features, public templates); demo organizations and users were not created.');
    return;
  }
  say(`Demo data: ${summary.organizations} organizations.`);
  say('Demo logins:');
  for (const login of summary.logins) {
    say(`  ${login.email.padEnd(34)} ${login.password.padEnd(20)} ${login.role.padEnd(7)} ${login.organization}`);
  }
}

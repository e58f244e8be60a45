import { type Command, InvalidArgumentError } from 'commander';
import { type AppConfig, loadConfig } from '../../config.js';
import { parseMasterKey } from '../../crypto/envelope.js';
import { loadMasterKey } from '../../crypto/master-key.js';
import { type Database, openDatabase } from '../../db/connection.js';
import { TenantryError } from '../../errors.js';
import { exportTenant } from '../../tenant-transfer/export.js';
import { type TableProgress, importTenant } from '../../tenant-transfer/import.js';
import type { KeyTransport } from '../../tenant-transfer/keys.js';
import { say, withDatabase } from '../runtime.js';

/** `tenantry tenant …`: move one organization out of a database and into another. */
export function registerTenantCommands(program: Command): void {
  const tenant = program
    .command('tenant')
    .description('move one organization between databases (format: docs/tenant-export-format.md)');

  tenant
    .command('export')
    .description('write every row of one organization, and the users and plans it needs, as NDJSON (.gz: gzip)')
    .argument('<organization>', 'the organization id or slug')
    .option('--out <file>', 'write to this file (gzip when it ends in .gz); default: standard output')
    .option('--transfer-key <base64>', 'a 32-byte key (openssl rand -base64 32) that wraps the data key for the journey; also TENANTRY_TRANSFER_KEY')
    .addHelpText(
      'after',
      '\nAn organization with encrypted secrets needs --transfer-key (or TENANTRY_TRANSFER_KEY), or\n' +
        "TENANTRY_TARGET_MASTER_KEY set to the target database's master key. Account credentials and\n" +
        'sessions are never exported: people sign in again (or reset their password) after the move.',
    )
    .action(async (organization: string, options: { out?: string; transferKey?: string }) => {
      // With no --out the export itself goes to stdout, so progress goes to stderr.
      const progress = options.out ? say : (line: string) => process.stderr.write(`${line}\n`);
      await withDatabase(async (db, config) => {
        const transport = exportTransport(options.transferKey);
        progress(`Exporting "${organization}" from ${db.kind} at ${db.location}`);
        const summary = await exportTenant(db, {
          organization,
          out: options.out ?? process.stdout,
          keys: { sourceMasterKey: () => masterKeyOf(config, progress), transport },
          onTable: ({ table, rows, durationMs }) => progress(tableLine(table, rows, durationMs)),
        });
        progress(
          `Exported ${summary.organization.slug} (${summary.organization.id}), schema ${summary.schemaVersion}: ` +
            `${summary.rows} rows in ${seconds(summary.durationMs)} (${rate(summary.rows, summary.durationMs)})` +
            (options.out ? ` to ${options.out}` : ''),
        );
      });
    });

  tenant
    .command('import')
    .description('load an export into a database at the same schema version, in one transaction')
    .argument('<file>', 'a file written by tenantry tenant export')
    .option('--into <url>', 'a PostgreSQL URL to import into; default: the configured database', postgresUrl)
    .option('--transfer-key <base64>', 'the key the export was made with, if any; also TENANTRY_TRANSFER_KEY')
    .option('--dry-run', 'load and check everything, then roll back')
    .addHelpText(
      'after',
      "\nThe organization's data key is re-wrapped under the target's master key: TENANTRY_MASTER_KEY (with\n" +
        '--into it must be set, and must be that database\'s key). Imported users have no credentials:\n' +
        'they sign in again, or reset their password.',
    )
    .action(async (file: string, options: { into?: string; transferKey?: string; dryRun?: boolean }) => {
      const config = loadConfig();
      const transferKey = keyOption(options.transferKey, process.env.TENANTRY_TRANSFER_KEY);
      const db = await openTarget(config, options.into);
      try {
        say(`Importing ${file} into ${db.kind} at ${db.location}${options.dryRun ? ' (dry run)' : ''}`);
        const summary = await importTenant(db, {
          file,
          dryRun: options.dryRun ?? false,
          keys: { transferKey, targetMasterKey: () => targetMasterKey(config, options.into) },
          onTable: (table) => say(importLine(table)),
        });
        const { slug, id } = summary.organization;
        if (summary.reset > 0) say(`  ${summary.reset} new user(s) held a platform role in the source and were imported as ordinary users.`);
        say(
          `${summary.dryRun ? 'Checked (rolled back)' : 'Imported'} ${slug} (${id}): ${summary.rows} rows in ` +
            `${seconds(summary.durationMs)} (${rate(summary.rows, summary.durationMs)}).`,
        );
        if (!summary.dryRun) say('Users arrive without credentials: they sign in again or reset their password.');
      } finally {
        await db.close();
      }
    });
}

/** What the data key travels under: --transfer-key / TENANTRY_TRANSFER_KEY, or TENANTRY_TARGET_MASTER_KEY; never both. */
function exportTransport(flag: string | undefined): KeyTransport | null {
  const transferKey = keyOption(flag, process.env.TENANTRY_TRANSFER_KEY);
  const targetMaster = process.env.TENANTRY_TARGET_MASTER_KEY;
  if (transferKey && targetMaster) {
    throw new TenantryError('bad_request', 'give either a transfer key or TENANTRY_TARGET_MASTER_KEY, not both');
  }
  if (transferKey) return { wrappedWith: 'transfer-key', key: transferKey };
  if (targetMaster) return { wrappedWith: 'target-master-key', key: parseMasterKey(targetMaster, 'TENANTRY_TARGET_MASTER_KEY') };
  return null;
}

function keyOption(flag: string | undefined, env: string | undefined): Buffer | null {
  if (flag !== undefined) return parseMasterKey(flag, '--transfer-key');
  if (env !== undefined && env !== '') return parseMasterKey(env, 'TENANTRY_TRANSFER_KEY');
  return null;
}

function masterKeyOf(config: AppConfig, warn: (line: string) => void): Buffer {
  return loadMasterKey({ env: process.env, dataDir: config.dataDir, nodeEnv: config.nodeEnv, warn });
}

/**
 * The configured database's key (TENANTRY_MASTER_KEY, or the generated one beside an embedded
 * database); for --into, TENANTRY_MASTER_KEY only, because a key file of this machine's data
 * folder says nothing about another database.
 */
function targetMasterKey(config: AppConfig, into: string | undefined): Buffer {
  if (!into) return masterKeyOf(config, say);
  const key = process.env.TENANTRY_MASTER_KEY;
  if (!key) {
    throw new TenantryError(
      'bad_request',
      "importing encrypted secrets with --into needs TENANTRY_MASTER_KEY set to that database's master key; nothing was written",
    );
  }
  return parseMasterKey(key, 'TENANTRY_MASTER_KEY');
}

async function openTarget(config: AppConfig, into: string | undefined): Promise<Database> {
  return openDatabase(into ? { kind: 'postgres', url: into } : config.database, { maxConnections: 2 });
}

function postgresUrl(value: string): string {
  if (!/^postgres(ql)?:\/\//.test(value)) throw new InvalidArgumentError(`--into takes a postgres:// URL, not "${value}"`);
  return value;
}

function tableLine(table: string, rows: number, durationMs: number): string {
  return `  ${table.padEnd(24)} ${String(rows).padStart(9)} rows  ${seconds(durationMs)}`;
}

function importLine(progress: TableProgress): string {
  const notes = [
    progress.reused > 0 ? `${progress.reused} already there` : '',
    progress.remapped > 0 ? `${progress.remapped} matched by unique key` : '',
  ].filter(Boolean);
  return tableLine(progress.table, progress.rows, progress.durationMs) + (notes.length > 0 ? `  (${notes.join(', ')})` : '');
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

function rate(rows: number, ms: number): string {
  return `${Math.round(rows / Math.max(ms / 1000, 0.001))} rows/s`;
}

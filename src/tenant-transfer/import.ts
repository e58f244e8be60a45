import { createHash } from 'node:crypto';
import type { Database, SqlSession } from '../db/connection.js';
import { ROLES } from '../db/roles.js';
import { TenantryError, sqlState } from '../errors.js';
import { type PlannedTable, type TransferPlan, readTransferPlan } from './catalog.js';
import { type BodyLine, type ExportHeader, damaged, parseBodyOrTrailer, parseHeader, readLines } from './format.js';
import { type ImportKeys, unwrapFromTransport } from './keys.js';
import {
  WRAPPED_KEY_COLUMN,
  countSql,
  differingSql,
  existingRowsSql,
  insertSql,
  orphansSql,
  quoteLiteral,
  readSchemaVersion,
  remapSql,
  uniqueClashSql,
  useStableRendering,
} from './statements.js';

/**
 * Platform tables whose rows are catalogue entries identified by a unique key (a plan's `code`):
 * when the target has the same key under another id, the target's row stands in for the
 * exported one and the organization's references are pointed at it. Any other unique-key clash
 * (a user's email under another id) refuses the import: merging people is not a decision an
 * import may take.
 */
export const MATCHED_BY_UNIQUE_KEY: readonly string[] = ['subscription_plans'];

/**
 * Platform privileges a tenant file never grants in the target: a new user arrives as an
 * ordinary user whatever role they held on the source platform.
 */
export const PLATFORM_RESETS: readonly { table: string; column: string; value: string }[] = [
  { table: 'users', column: 'role', value: 'user' },
];

export type ImportOptions = {
  file: string;
  keys?: ImportKeys;
  /** Do everything, then roll back: proves the file would import. */
  dryRun?: boolean;
  onTable?: (progress: TableProgress) => void;
};

export type TableProgress = {
  table: string;
  rows: number;
  /** Platform rows that already existed in the target (same primary key) and were kept as they are. */
  reused: number;
  /** Platform rows replaced by the target's row with the same unique key (MATCHED_BY_UNIQUE_KEY). */
  remapped: number;
  durationMs: number;
};

export type ImportSummary = {
  organization: ExportHeader['organization'];
  tables: TableProgress[];
  rows: number;
  /** New users whose platform role was reset (PLATFORM_RESETS). */
  reset: number;
  durationMs: number;
  dryRun: boolean;
};

export type VerifiedExport = { header: ExportHeader; bodyLines: number; bodySha256: string };

/** Batches are cut at whichever comes first. */
const BATCH_ROWS = 500;
const BATCH_BYTES = 4 * 1024 * 1024;

/**
 * Reads the whole file once and checks it without touching any database: header and its
 * checksum, every line's shape, table order, columns, that every tenant row belongs to the
 * exported organization, row counts, and the trailer's line count and sha256 over the body.
 */
export async function verifyExportFile(file: string): Promise<VerifiedExport> {
  let header: ExportHeader | null = null;
  let checker: BodyChecker | null = null;
  let trailer: { body_lines: number; body_sha256: string } | null = null;
  const hash = createHash('sha256');
  let lineNumber = 0;
  for await (const bytes of readLines(file)) {
    lineNumber += 1;
    const text = bytes.toString('utf8');
    if (!header || !checker) {
      header = parseHeader(file, text);
      checker = new BodyChecker(file, header);
      continue;
    }
    if (trailer) throw damaged(file, `line ${lineNumber} follows the trailer`);
    const line = parseBodyOrTrailer(file, lineNumber, text);
    if ('trailer' in line) {
      trailer = line.trailer;
      continue;
    }
    hash.update(bytes).update('\n');
    checker.accept(line, lineNumber);
  }
  if (!header || !checker) throw damaged(file, 'it is empty');
  if (!trailer) throw damaged(file, 'the trailer line is missing (truncated?)');
  const bodySha256 = hash.digest('hex');
  if (trailer.body_lines !== lineNumber - 2 || trailer.body_sha256 !== bodySha256) {
    throw damaged(file, 'the rows do not match the checksum in the trailer');
  }
  checker.finish();
  return { header, bodyLines: lineNumber - 2, bodySha256 };
}

/** Follows the body against the header, line by line. */
class BodyChecker {
  private index = 0;
  private rows = 0;

  constructor(
    private readonly file: string,
    private readonly header: ExportHeader,
  ) {}

  accept(line: BodyLine, lineNumber: number): void {
    const { tables, organization } = this.header;
    if (tables[this.index]?.name !== line.table) {
      this.closeTable();
      const next = tables.findIndex((t, i) => i > this.index && t.name === line.table);
      if (next === -1) throw damaged(this.file, `line ${lineNumber} has a row of ${line.table} where the header does not expect one`);
      for (let skipped = this.index + 1; skipped < next; skipped += 1) this.closeTable(skipped, 0);
      this.index = next;
      this.rows = 0;
    }
    const table = tables[this.index];
    if (!table) throw damaged(this.file, `line ${lineNumber} is outside every table`);
    const keys = Object.keys(line.row);
    if (keys.length !== table.columns.length || keys.some((key, i) => key !== table.columns[i])) {
      throw damaged(this.file, `line ${lineNumber}: the row's columns are not those of ${table.name} in the header`);
    }
    if (table.kind === 'tenant') {
      const tenantColumn = table.name === 'organizations' ? 'id' : 'organization_id';
      if (line.row[tenantColumn] !== organization.id) {
        throw damaged(this.file, `line ${lineNumber}: a ${table.name} row belongs to another organization than ${organization.slug}`);
      }
      if (table.name === 'organizations' && line.row.slug !== organization.slug) {
        throw damaged(this.file, `line ${lineNumber}: the organization's slug differs from the header's`);
      }
    }
    if (WRAPPED_KEY_COLUMN in line.row && line.row[WRAPPED_KEY_COLUMN] !== null) {
      throw damaged(this.file, `line ${lineNumber}: ${WRAPPED_KEY_COLUMN} must travel in the header, never in a row`);
    }
    this.rows += 1;
  }

  finish(): void {
    this.closeTable();
    for (let rest = this.index + 1; rest < this.header.tables.length; rest += 1) this.closeTable(rest, 0);
    const organizations = this.header.tables.find((t) => t.name === 'organizations');
    if (organizations?.rows !== 1) throw damaged(this.file, 'it must hold exactly one organizations row');
  }

  private closeTable(index = this.index, rows = this.rows): void {
    const table = this.header.tables[index];
    if (table && table.rows !== rows) {
      throw damaged(this.file, `the header promises ${table.rows} ${table.name} rows, the body has ${rows}`);
    }
  }
}

/**
 * Loads an export into `db` in one transaction, or refuses with one clear line and writes
 * nothing: a damaged file, another schema version, an organization (id or slug) that already
 * exists, a missing or wrong key, a clash with the target's own rows.
 *
 * Rows are loaded with triggers off (`session_replication_role = replica`), so they arrive
 * exactly as exported: no audit rows for the import itself (the organization's own audit trail
 * travels with it), no renumbered tasks, no restamped completion times. Foreign keys, which are
 * triggers too, are then checked explicitly before commit, with the row counts.
 *
 * @example
 * await importTenant(db, { file: 'acme.ndjson.gz', keys: { targetMasterKey, transferKey } });
 */
export async function importTenant(db: Database, options: ImportOptions): Promise<ImportSummary> {
  const started = performance.now();
  const { file } = options;
  const verified = await verifyExportFile(file);
  const { header } = verified;
  const wrappedKey = header.data_key ? unwrapFromTransport(file, header.data_key, options.keys) : null;

  return db.session(async (session) => {
    await session.query('begin');
    try {
      await useStableRendering(session);
      await refuseOtherSchemaVersion(session, header, db.location);
      await loadWithTriggersOff(session);
      await session.query(`select set_config('role', $1, true)`, [ROLES.platform]);
      const plan = await readTransferPlan(session);
      refuseOtherTables(plan, header, db.location);
      await refuseExistingOrganization(session, header, db.location);

      const loader = new Loader(session, plan, header, options.onTable);
      const hash = createHash('sha256');
      let lineNumber = 0;
      for await (const bytes of readLines(file)) {
        lineNumber += 1;
        if (lineNumber === 1) continue;
        const text = bytes.toString('utf8');
        const line = parseBodyOrTrailer(file, lineNumber, text);
        if ('trailer' in line) break;
        hash.update(bytes).update('\n');
        await loader.add(line.table, text);
      }
      await loader.finish();
      // The file was checked before; this catches it changing underneath us since.
      if (hash.digest('hex') !== verified.bodySha256) throw damaged(file, 'it changed while it was being imported');

      const organizationId = header.organization.id;
      if (wrappedKey) {
        await session.query(`update public.organizations set ${WRAPPED_KEY_COLUMN} = $2 where id = $1`, [organizationId, wrappedKey]);
      }
      await verifyLoaded(session, plan, header);
      await session.query(options.dryRun ? 'rollback' : 'commit');
      return {
        organization: header.organization,
        tables: loader.progress,
        rows: loader.progress.reduce((sum, t) => sum + t.rows, 0),
        reset: loader.reset,
        durationMs: performance.now() - started,
        dryRun: options.dryRun ?? false,
      };
    } catch (error) {
      await session.query('rollback').catch(() => undefined);
      throw error;
    }
  });
}

async function refuseOtherSchemaVersion(session: SqlSession, header: ExportHeader, location: string): Promise<void> {
  const version = await readSchemaVersion(session);
  if (version === header.schema_version) return;
  throw new TenantryError(
    'refused',
    version === null
      ? `the database at ${location} has no migrations applied; migrate it to ${header.schema_version} first (tenantry db migrate --to ${header.schema_version}); nothing was written`
      : `the export was made at schema version ${header.schema_version} and the database at ${location} is at ${version}; ` +
          `bring both to the same version first; nothing was written`,
  );
}

async function loadWithTriggersOff(session: SqlSession): Promise<void> {
  try {
    await session.query(`set local session_replication_role = replica`);
  } catch (error) {
    if (sqlState(error) !== '42501') throw error;
    const [me] = await session.query<{ user: string }>('select current_user as user');
    throw new TenantryError(
      'database_permission',
      `tenant import loads rows with triggers off (session_replication_role = replica), which "${me?.user ?? '?'}" may not set; ` +
        `connect as a superuser, or GRANT SET ON PARAMETER session_replication_role TO ${me?.user ?? 'that user'}; nothing was written`,
    );
  }
}

/** Same version should mean same tables and columns; a hand-altered schema is caught here. */
function refuseOtherTables(plan: TransferPlan, header: ExportHeader, location: string): void {
  const describe = (t: { name: string; kind: string; columns: string[] }) => `${t.name} (${t.kind}: ${t.columns.join(', ')})`;
  const target = plan.tables.map((t) => describe({ name: t.name, kind: t.kind, columns: t.columns.map((c) => c.name) }));
  const source = header.tables.map(describe);
  const difference = source.find((t, i) => t !== target[i]) ?? target.find((t, i) => t !== source[i]);
  if (difference === undefined) return;
  throw new TenantryError(
    'refused',
    `the tables of the database at ${location} differ from the export's although both are at schema version ${header.schema_version} ` +
      `(first difference: ${difference}); nothing was written`,
  );
}

/** Refuses an organization whose id or slug the target holds; otherwise claims the slug for it. */
async function refuseExistingOrganization(session: SqlSession, header: ExportHeader, location: string): Promise<void> {
  const { id, slug } = header.organization;
  // The slug's registry (migrations/0016) holds every slug, organizations' own column included.
  const [existing] = await session.query<{ id: string; slug: string }>(
    `select id::text as id, slug from public.organizations where id = $1
     union all
     select organization_ref::text, slug from public.organization_slugs where slug = $2
     limit 1`,
    [id, slug],
  );
  if (!existing) {
    await session.query('insert into public.organization_slugs (slug, organization_ref) values ($1, $2)', [slug, id]);
    return;
  }
  throw new TenantryError(
    'conflict',
    existing.id === id
      ? `organization "${slug}" (${id}) already exists in the database at ${location}; nothing was written`
      : `the slug "${slug}" is already taken by organization ${existing.id} in the database at ${location}; nothing was written`,
  );
}

/** The table the loader is filling: its pending batch and its progress so far. */
type OpenTable = { table: PlannedTable; batch: string[]; bytes: number; progress: TableProgress; started: number };

/** Collects body lines into batches per table and loads them in file order. */
class Loader {
  readonly progress: TableProgress[] = [];
  reset = 0;
  /** Per platform table matched by unique key: exported id → the target's id. */
  private readonly remaps = new Map<string, Map<string, string>>();
  private readonly tables: Map<string, PlannedTable>;
  private current: OpenTable | null = null;
  private next = 0;

  constructor(
    private readonly session: SqlSession,
    plan: TransferPlan,
    private readonly header: ExportHeader,
    private readonly onTable: ImportOptions['onTable'],
  ) {
    this.tables = new Map(plan.tables.map((t) => [t.name, t]));
  }

  async add(table: string, line: string): Promise<void> {
    let current = this.current;
    while (current?.table.name !== table) {
      await this.closeTable();
      current = this.openTable();
    }
    current.batch.push(line);
    current.bytes += line.length;
    if (current.batch.length >= BATCH_ROWS || current.bytes >= BATCH_BYTES) await this.flush();
  }

  async finish(): Promise<void> {
    await this.closeTable();
    while (this.next < this.header.tables.length) {
      this.openTable();
      await this.closeTable();
    }
    await this.applyRemaps();
  }

  private openTable(): OpenTable {
    const entry = this.header.tables[this.next];
    const table = entry && this.tables.get(entry.name);
    if (!entry || !table) throw new TenantryError('internal', 'the body and the header disagree (checked before; the file changed?)');
    this.next += 1;
    return (this.current = {
      table,
      batch: [],
      bytes: 0,
      started: performance.now(),
      progress: { table: table.name, rows: 0, reused: 0, remapped: 0, durationMs: 0 },
    });
  }

  private async closeTable(): Promise<void> {
    if (!this.current) return;
    await this.flush();
    const { progress, started } = this.current;
    progress.durationMs = performance.now() - started;
    this.progress.push(progress);
    this.onTable?.(progress);
    this.current = null;
  }

  private async flush(): Promise<void> {
    const current = this.current;
    if (!current || current.batch.length === 0) return;
    const { table, batch, progress } = current;
    const json = `[${batch.join(',')}]`;
    try {
      if (table.kind === 'tenant') {
        const [inserted] = await this.session.query<{ n: number }>(insertSql(table), [this.header.organization.id, json]);
        if (inserted?.n !== batch.length) {
          throw new TenantryError('bad_request', `${table.name}: rows of another organization in the file; nothing was written`);
        }
      } else {
        await this.loadPlatformBatch(table, json, progress);
      }
    } catch (error) {
      throw loadError(table.name, error);
    }
    progress.rows += batch.length;
    current.batch = [];
    current.bytes = 0;
  }

  /** Keeps rows the target already has (same primary key), resolves unique-key clashes, inserts the rest. */
  private async loadPlatformBatch(table: PlannedTable, json: string, progress: TableProgress): Promise<void> {
    const skip = new Set<number>();
    if (table.primaryKey.length > 0) {
      for (const { ord } of await this.session.query<{ ord: number }>(existingRowsSql(table), [json])) skip.add(ord);
      progress.reused += skip.size;
      for (const key of table.uniqueKeys) {
        const clashes = await this.session.query<{ ord: number; value: string; file_id: string; target_id: string }>(
          uniqueClashSql(table, key),
          [json],
        );
        for (const clash of clashes) {
          if (skip.has(clash.ord)) continue;
          if (!MATCHED_BY_UNIQUE_KEY.includes(table.name) || table.primaryKey.length !== 1) {
            throw new TenantryError(
              'conflict',
              `${table.name} ${clash.file_id} of the export has the same ${key.join(', ')} (${clash.value}) as ${clash.target_id} ` +
                `in the target under another id; merging them is not automatic, so resolve it in the target first; nothing was written`,
            );
          }
          const remap = this.remaps.get(table.name) ?? new Map<string, string>();
          remap.set(clash.file_id, clash.target_id);
          this.remaps.set(table.name, remap);
          skip.add(clash.ord);
          progress.remapped += 1;
        }
      }
    }
    const skipped = JSON.stringify([...skip]);
    const overrides = new Map<string, string>();
    for (const reset of PLATFORM_RESETS) {
      if (reset.table !== table.name || !table.columns.some((c) => c.name === reset.column)) continue;
      const [differing] = await this.session.query<{ n: number }>(differingSql(table, reset.column), [json, skipped, reset.value]);
      this.reset += differing?.n ?? 0;
      overrides.set(reset.column, quoteLiteral(reset.value));
    }
    await this.session.query(insertSql(table, overrides), [json, skipped]);
  }

  /** Points the organization's references at the target's rows that stood in for exported ones. */
  private async applyRemaps(): Promise<void> {
    for (const [parent, remap] of this.remaps) {
      for (const child of this.tables.values()) {
        for (const fk of child.foreignKeys.filter((k) => k.refTable === parent)) {
          if (child.kind !== 'tenant') {
            throw new TenantryError('internal', `cannot remap ${child.name}.${fk.name}: only tenant rows are re-pointed`);
          }
          await this.session.query(remapSql(child, fk), [this.header.organization.id, JSON.stringify(Object.fromEntries(remap))]);
        }
      }
    }
  }
}

/** Counts and foreign keys, checked after the load because the load ran with triggers (and so foreign-key checks) off. */
async function verifyLoaded(session: SqlSession, plan: TransferPlan, header: ExportHeader): Promise<void> {
  const organizationId = header.organization.id;
  for (const table of plan.tables) {
    const expected = header.tables.find((t) => t.name === table.name)?.rows;
    const [count] = await session.query<{ n: number }>(countSql(table), [organizationId]);
    if (count?.n !== expected) {
      throw new TenantryError(
        'bad_request',
        `${table.name}: the file has ${expected} rows but ${count?.n} belong to the organization after loading ` +
          `(rows that nothing references?); nothing was written`,
      );
    }
    for (const fk of table.foreignKeys) {
      const [orphans] = await session.query<{ n: number }>(orphansSql(table, fk), [organizationId]);
      if (orphans && orphans.n > 0) {
        throw new TenantryError(
          'bad_request',
          `${orphans.n} ${table.name} row(s) would break foreign key ${fk.name} (${fk.columns.join(', ')} → ${fk.refTable}); nothing was written`,
        );
      }
    }
  }
}

/** A database error while loading a table, as one line that names the table. */
function loadError(table: string, error: unknown): unknown {
  if (error instanceof TenantryError) return error;
  const state = sqlState(error);
  if (!state) return error;
  const message = error instanceof Error ? error.message : String(error);
  const detail = typeof error === 'object' && error !== null && 'detail' in error && typeof error.detail === 'string' ? ` (${error.detail})` : '';
  if (state === '23505') {
    return new TenantryError('conflict', `${table}: a row clashes with one the target already has: ${message}${detail}; nothing was written`);
  }
  return new TenantryError('bad_request', `${table}: cannot load a row: ${message}${detail}; nothing was written`);
}

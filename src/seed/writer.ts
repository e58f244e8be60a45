import type { SqlSession } from '../db/connection.js';
import { ROLES, quoteIdent } from '../db/roles.js';
import { TenantryError } from '../errors.js';

/** One row to insert; a key left out (or undefined) takes the column's default. */
export type Row = Record<string, unknown>;

/** Kept well under PostgreSQL's 65 535 bind parameters per statement. */
const ROWS_PER_STATEMENT = 200;

/**
 * Writes seed rows through one session and counts what it actually inserted. Every insert is
 * `on conflict do nothing`, so a row that is already there (same id, or same natural key) is
 * skipped silently and a second run inserts nothing.
 */
export class SeedWriter {
  private readonly counts = new Map<string, number>();

  constructor(readonly session: SqlSession) {}

  /** Inserts `rows` into `table` (a fixed name from the seed, quoted anyway); returns how many were new. */
  async insert(table: string, rows: Row[]): Promise<number> {
    let inserted = 0;
    for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
      inserted += await this.insertChunk(table, rows.slice(start, start + ROWS_PER_STATEMENT));
    }
    this.count(table, inserted);
    return inserted;
  }

  /** Of `ids`, the ones `table` already holds: lets callers skip expensive work (hashing, encryption). */
  async existingIds(table: string, ids: string[], column = 'id'): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await this.session.query<{ id: string }>(
      `select ${quoteIdent(column)}::text as id from ${quoteIdent(table)} where ${quoteIdent(column)} = any($1::uuid[])`,
      [ids],
    );
    return new Set(rows.map((row) => row.id));
  }

  /**
   * Fails when a row the seed needs is missing after its insert was skipped: something else
   * holds its natural key (an e-mail, a slug) under another id, and every child row would fail.
   */
  async requireIds(table: string, ids: Map<string, string>): Promise<void> {
    const present = await this.existingIds(table, [...ids.keys()]);
    const taken = [...ids].filter(([id]) => !present.has(id)).map(([, label]) => label);
    if (taken.length > 0) {
      throw new TenantryError(
        'conflict',
        `cannot seed ${table}: ${taken.join(', ')} already exist${taken.length === 1 ? 's' : ''} and were not created by the seed; use an empty database or remove them`,
      );
    }
  }

  /** Adds rows written on the seed's behalf (audit rows from triggers) to the tally. */
  count(table: string, rows: number): void {
    if (rows > 0) this.counts.set(table, (this.counts.get(table) ?? 0) + rows);
  }

  /** Rows inserted so far, all tables together. */
  total(): number {
    let sum = 0;
    for (const rows of this.counts.values()) sum += rows;
    return sum;
  }

  /** Rows inserted so far, by table. */
  inserted(): Record<string, number> {
    return Object.fromEntries([...this.counts].sort(([a], [b]) => a.localeCompare(b)));
  }

  /**
   * Opens a transaction as `tenantry_platform` (BYPASSRLS: the seed writes every tenant on
   * purpose) with `actorUserId` as the audit trail's actor. Commits when `work` resolves.
   */
  async transaction<T>(actorUserId: string | null, work: () => Promise<T>): Promise<T> {
    await this.session.query('begin');
    try {
      await this.session.query(
        `select set_config('role', $1, true), set_config('app.organization_id', '', true),
                set_config('app.user_id', $2, true), set_config('app.request_id', 'tenantry db seed', true)`,
        [ROLES.platform, actorUserId ?? ''],
      );
      const result = await work();
      await this.session.query('commit');
      return result;
    } catch (error) {
      // PGlite is one connection for the whole process: a transaction left open would swallow the next caller's work.
      await this.session.query('rollback').catch(() => undefined);
      throw error;
    }
  }

  /** Changes the actor recorded by the audit triggers for the rest of the transaction. */
  async actAs(userId: string): Promise<void> {
    await this.session.query(`select set_config('app.user_id', $1, true)`, [userId]);
  }

  private async insertChunk(table: string, rows: Row[]): Promise<number> {
    if (rows.length === 0) return 0;
    const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
    const params: unknown[] = [];
    const tuples = rows.map((row) => {
      const cells = columns.map((column) => {
        if (row[column] === undefined) return 'default';
        params.push(row[column]);
        return `$${params.length}`;
      });
      return `(${cells.join(', ')})`;
    });
    const inserted = await this.session.query(
      `insert into ${quoteIdent(table)} (${columns.map(quoteIdent).join(', ')})
       values ${tuples.join(',\n')}
       on conflict do nothing
       returning 1`,
      params,
    );
    return inserted.length;
  }
}

/** A jsonb value as text: both drivers pass text through to jsonb unchanged, while arrays would become SQL arrays. */
export function jsonb(value: unknown): string {
  return JSON.stringify(value);
}

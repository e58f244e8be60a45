import { createHash } from 'node:crypto';
import pg from 'pg';

/** Statements kept prepared per connection; past this, new shapes run unnamed. */
const MAX_PREPARED_PER_CONNECTION = 256;
/** Bulk inserts vary in width with every batch; preparing each width would only fill memory. */
const MAX_PARAMETERS = 64;

const SET_STATEMENT = /^\s*set\s/i;

type QueryConfigLike = { text: string; name?: string };

/**
 * A comment that keeps a statement unnamed, so PostgreSQL plans it with each call's values. For
 * statements whose best plan depends on those values: after five calls a prepared statement may
 * switch to a generic plan that assumes a project holds one task. For task search that plan
 * walks the whole project where a custom plan fetches the handful of matches by id.
 */
export const PLAN_EACH_CALL = '/* tenantry:plan-each-call */';

/**
 * A node-postgres client that runs the query builder's statements as named prepared
 * statements, so PostgreSQL plans each shape once per connection instead of on every call.
 * Planning was most of a one-task lookup's server time (`pgbench -r` on the 100k-task bench
 * dataset: 0.21 ms planned on every call, 0.07 ms prepared). Plain SQL strings (migrations, catalog queries) are left alone:
 * only the builder's config objects are named, by a digest of their text.
 *
 * Off behind a transaction-mode pooler older than PgBouncer 1.21, which cannot follow named
 * statements across server connections (DATABASE_PREPARED_STATEMENTS=off).
 */
export class PreparingClient extends pg.Client {
  readonly #prepared = new Set<string>();

  // One override for pg's overloads: the arguments pass through unchanged but for the name.
  // @ts-expect-error pg types query() as a set of overloads that no single signature satisfies
  override query(config: unknown, values?: unknown, callback?: unknown): unknown {
    const named = this.#named(config, values);
    // eslint-disable-next-line @typescript-eslint/unbound-method -- applied to this very client
    return Reflect.apply(pg.Client.prototype.query, this, [named, values, callback]);
  }

  #named(config: unknown, values: unknown): unknown {
    if (!isQueryConfig(config) || config.name !== undefined || config.text.includes(PLAN_EACH_CALL)) return config;
    // The tenant context's SET statements: nothing to plan, their values are inlined (SET takes no
    // parameters), and several go in one message, which only the simple protocol accepts.
    if (SET_STATEMENT.test(config.text)) return config;
    const parameters = Array.isArray(values) ? values.length : 0;
    if (parameters > MAX_PARAMETERS) return config;
    const name = `tq_${createHash('sha1').update(config.text).digest('base64url')}`;
    if (!this.#prepared.has(name)) {
      if (this.#prepared.size >= MAX_PREPARED_PER_CONNECTION) return config;
      this.#prepared.add(name);
    }
    return { ...config, name };
  }
}

function isQueryConfig(value: unknown): value is QueryConfigLike {
  return typeof value === 'object' && value !== null && typeof Reflect.get(value, 'text') === 'string' && typeof Reflect.get(value, 'submit') !== 'function';
}

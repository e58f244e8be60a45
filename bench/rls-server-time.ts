/**
 * RLS overhead inside the server: the hot reads' own SQL (captured from the repository as the
 * server sends it) timed in one backend, under RLS as `tenantry_app` and past it as the
 * superuser and as `tenantry_platform`, in alternating blocks of calls from PL/pgSQL.
 *
 * `rls-overhead.ts` measures what a client sees, where the driver and the round trip dilute the
 * policies' cost and the machine's noise moves the ratio by a few hundredths between runs. Here
 * nothing but the statement's execution is timed, so the parts of the policies' cost can be told
 * apart (a policy changed for a run shows its share within a few percent).
 *
 * Each statement becomes a `pg_temp` function with the statement's own parameters: a statement
 * the server prepares is static SQL there (planned and cached as a prepared statement is), one
 * it plans on every call (`PLAN_EACH_CALL`) runs through `EXECUTE … USING`.
 *
 *   npx tsx bench/rls-server-time.ts [--tasks 1000000] [--rounds 12] [--keep]
 */
import { createRequire } from 'node:module';
import pg from 'pg';
import { type Database, type SqlSession, openDatabase } from '../src/db/connection.js';
import { PLAN_EACH_CALL } from '../src/db/prepared-statements.js';
import { ROLES } from '../src/db/roles.js';
import { withTenant } from '../src/db/tenant-context.js';
import { isMain, parseFlags, runMain } from './support/args.js';
import { type Dataset, dropBenchDatabase, ensureDataset, sizeForTasks } from './support/datasets.js';
import { type HotQuery, hotQueries } from './support/hot-queries.js';
import { log, printTable, writeResult } from './support/report.js';
import { median, pairedRatio, round } from './support/stats.js';
import { type OrgTarget, findTargets } from './support/targets.js';

// node-postgres turns a value into its text for the wire here (arrays, dates, buffers alike).
const { prepareValue } = createRequire(import.meta.url)('pg/lib/utils.js') as { prepareValue: (value: unknown) => string | null };

/** Each block of calls runs about this long, so the clock's reads are a small part of it. */
const BLOCK_MS = 60;
const SIDES = { rls: ROLES.app, superuser: 'none', platform: ROLES.platform } as const;
type Side = keyof typeof SIDES;

/** A statement as the repository sent it: its text, its values, and whether it is planned per call. */
type Captured = { text: string; values: unknown[]; planEachCall: boolean };

export type ServerTimeRow = {
  organization: string;
  query: string;
  blocks: number;
  callsPerBlock: number;
  /** Median µs per call over the blocks, by side. */
  micros: Record<Side, number>;
  /** Median of the blocks' paired ratios. */
  ratio: number;
  policyRatio: number;
};

export async function runRlsServerTime(dataset: Dataset, rounds: number): Promise<ServerTimeRow[]> {
  const db = await openDatabase({ kind: 'postgres', url: dataset.url }, { maxConnections: 1 });
  try {
    const targets = await findTargets(db, ['largest', 'median']);
    const rows: ServerTimeRow[] = [];
    for (const target of targets) {
      for (const query of hotQueries(target)) {
        const statement = await capture(db, target, query);
        const timing = await db.session((session) => timeInBackend(session, target, statement, rounds));
        rows.push({
          organization: `${target.label} (${target.slug})`,
          query: query.name,
          blocks: timing.rls.length,
          callsPerBlock: timing.calls,
          micros: { rls: round(median(timing.rls)), superuser: round(median(timing.superuser)), platform: round(median(timing.platform)) },
          ratio: pairedRatio(timing.rls, timing.superuser),
          policyRatio: pairedRatio(timing.rls, timing.platform),
        });
        log(`${target.label} ${query.name}: ${JSON.stringify(rows.at(-1)?.micros)}`);
      }
    }
    printTable(
      `RLS overhead inside the server on ${dataset.size.tasks.toLocaleString('en-US')} tasks (µs per call, median of ${rounds} blocks a side; ratio = median of paired blocks)`,
      [
        ['organization', 'query', 'calls/block', 'rls µs', 'superuser µs', 'ratio', 'platform µs', 'rls/platform'],
        ...rows.map((row) => [row.organization, row.query, row.callsPerBlock, row.micros.rls, row.micros.superuser, round(row.ratio), row.micros.platform, round(row.policyRatio)]),
      ],
    );
    await writeResult('rls-server-time', {
      dataset: dataset.name,
      method: 'each hot statement as a pg_temp PL/pgSQL function, timed with clock_timestamp() in blocks alternating tenantry_app / superuser / tenantry_platform in one backend',
      rows,
    });
    return rows;
  } finally {
    await db.close();
  }
}

/** Runs `query` once as the server would, and keeps the one statement it sent after the context. */
async function capture(db: Database, target: OrgTarget, query: HotQuery): Promise<Captured> {
  const sent: Captured[] = [];
  // eslint-disable-next-line @typescript-eslint/unbound-method -- put back as it was, and applied to its own client
  const original = pg.Client.prototype.query;
  pg.Client.prototype.query = function (this: pg.Client, config: unknown, values?: unknown, callback?: unknown) {
    const text = typeof config === 'string' ? config : (config as { text?: string }).text;
    const params = Array.isArray(values) ? values : ((config as { values?: unknown[] }).values ?? []);
    // The repository's reads bind the organization at least; withTenant's own catalog check binds nothing.
    if (text && params.length > 0 && /^\s*(\/\*.*?\*\/\s*)?select\b/is.test(text) && !text.includes('set_config(')) {
      sent.push({ text, values: params, planEachCall: text.includes(PLAN_EACH_CALL) });
    }
    return Reflect.apply(original, this, [config, values, callback]) as unknown;
  } as typeof original;
  try {
    await withTenant(db, { organizationId: target.organizationId }, (tx) => query.run(tx));
  } finally {
    pg.Client.prototype.query = original;
  }
  if (sent.length !== 1) throw new Error(`${query.name} sent ${sent.length} statements; this benchmark times one:\n${sent.map((one) => one.text.slice(0, 120)).join('\n')}`);
  return sent[0] as Captured;
}

/** Times `statement` in this session's backend: blocks of calls, the sides in turn, the order reversed every round. */
async function timeInBackend(session: SqlSession, target: OrgTarget, statement: Captured, rounds: number) {
  await session.query(`prepare rls_server_time_probe as ${statement.text}`);
  const [described] = await session.query<{ types: string[] }>(`select parameter_types::text[] as types from pg_prepared_statements where name = 'rls_server_time_probe'`);
  await session.query('deallocate rls_server_time_probe');
  const types = described?.types ?? [];
  const parameters = types.map((type, i) => `p${i + 1} ${type}`).join(', ');
  const body = statement.planEachCall
    ? `execute ${pg.escapeLiteral(statement.text)} using ${types.map((_, i) => `p${i + 1}`).join(', ')};`
    : `perform ${statement.text.replace(/^\s*(\/\*.*?\*\/\s*)?select\b/is, '')};`;
  await session.query(`create or replace function pg_temp.hot_read(${parameters}) returns void language plpgsql as $body$ begin ${body} end $body$`);
  await session.query(helpers(`pg_temp.hot_read(${statement.values.map((value, i) => `${literal(value)}::${types[i]}`).join(', ')})`));

  await session.query('begin');
  try {
    // The tenant context as withTenant sets it for a request without a user.
    await session.query(
      `select set_config('app.organization_id', $1, true), set_config('app.user_id', '', true), set_config('app.request_id', '', true),
              set_config('app.hidden_project_ids', '{}', true), set_config('app.read_only_project_ids', '{}', true), set_config('app.no_comment_project_ids', '{}', true)`,
      [target.organizationId],
    );
    const [calibrated] = await session.query<{ calls: number }>('select pg_temp.calls_per_block() as calls');
    const calls = Number(calibrated?.calls ?? 100);
    const times: Record<Side, number[]> = { rls: [], superuser: [], platform: [] };
    const order: Side[] = ['rls', 'superuser', 'platform'];
    for (let r = 0; r < rounds; r++) {
      for (const side of r % 2 === 0 ? order : [...order].reverse()) {
        const [row] = await session.query<{ micros: number }>(`select pg_temp.time_block($1, $2) as micros`, [SIDES[side], calls]);
        times[side].push(Number(row?.micros));
      }
    }
    return { ...times, calls };
  } finally {
    await session.query('rollback');
  }
}

/** The helpers around `call`: one block's µs per call as a role, and how many calls fill a block. */
function helpers(call: string): string {
  return `
    create or replace function pg_temp.time_block(as_role text, calls int) returns float8 language plpgsql as $body$
    declare started timestamptz; took float8;
    begin
      perform set_config('role', as_role, true);
      for i in 1..20 loop perform ${call}; end loop;
      started := clock_timestamp();
      for i in 1..calls loop perform ${call}; end loop;
      took := extract(epoch from clock_timestamp() - started) * 1e6 / calls;
      perform set_config('role', 'none', true);
      return took;
    end $body$;
    create or replace function pg_temp.calls_per_block() returns int language plpgsql as $body$
    declare one float8 := pg_temp.time_block('none', 50);
    begin
      return greatest(20, least(20000, ceil(${BLOCK_MS} * 1000 / one)))::int;
    end $body$`;
}

function literal(value: unknown): string {
  const text = prepareValue(value);
  return text === null ? 'null' : pg.escapeLiteral(text);
}

if (isMain(import.meta.url)) {
  runMain(async () => {
    const flags = parseFlags();
    const dataset = await ensureDataset(sizeForTasks(flags.tasks), log);
    try {
      // Twelve rounds unless --rounds says otherwise (the other benchmarks' default of 3 is too few here).
      await runRlsServerTime(dataset, process.argv.includes('--rounds') ? flags.rounds : 12);
    } finally {
      if (!flags.keep) await dropBenchDatabase(dataset.name);
    }
  });
}

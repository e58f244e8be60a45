import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { SentQuery } from './query-counter.js';
import { type Summary, summarize } from './stats.js';

/** pgbench of the server's major version: PGBENCH, else the Debian path, else whatever PATH has. */
export const PGBENCH = process.env.PGBENCH ?? (existsSync('/usr/lib/postgresql/15/bin/pgbench') ? '/usr/lib/postgresql/15/bin/pgbench' : 'pgbench');

export type PgbenchRun = {
  tps: number;
  transactions: number;
  failed: number;
  /** Per-transaction latency from pgbench's own log, in ms. */
  latency: Summary;
  command: string;
};

export type PgbenchOptions = {
  url: string;
  /** Script texts; pgbench picks one at random (equal weights) for every transaction. */
  scripts: string[];
  clients: number;
  threads: number;
  seconds: number;
  mode: 'prepared' | 'extended' | 'simple';
};

/** Runs pgbench (no vacuum, no init) with the given scripts and reads tps and latencies back. */
export async function runPgbench(options: PgbenchOptions): Promise<PgbenchRun> {
  const dir = mkdtempSync(join(tmpdir(), 'tenantry-pgbench-'));
  try {
    const files = options.scripts.map((script, index) => {
      const file = join(dir, `script-${index}.sql`);
      writeFileSync(file, script);
      return file;
    });
    const args = [
      '-n',
      ...files.flatMap((file) => ['-f', `${file}@1`]),
      '-c', String(options.clients),
      '-j', String(options.threads),
      '-T', String(options.seconds),
      '-M', options.mode,
      '--log', `--log-prefix=${join(dir, 'log')}`,
      options.url,
    ];
    const output = await new Promise<string>((done, fail) => {
      execFile(PGBENCH, args, { timeout: (options.seconds + 60) * 1000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
        if (error) fail(new Error(`pgbench failed: ${error.message}\n${stderr}`));
        else done(`${stdout}\n${stderr}`);
      });
    });
    const tps = Number(/tps = ([\d.]+) \(without initial connection time\)/.exec(output)?.[1] ?? Number.NaN);
    const transactions = Number(/number of transactions actually processed: (\d+)/.exec(output)?.[1] ?? Number.NaN);
    const failed = Number(/number of failed transactions: (\d+)/.exec(output)?.[1] ?? 0);
    if (!Number.isFinite(tps)) throw new Error(`cannot read tps from pgbench output:\n${output}`);
    return {
      tps,
      transactions,
      failed,
      latency: summarize(readLatencies(dir)),
      command: `${PGBENCH} ${args.map((arg) => arg.replace(dir, '$TMP')).join(' ')}`,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** pgbench --log lines: client_id transaction_no time_us script_no epoch epoch_us — the third field is the latency. */
function readLatencies(dir: string): number[] {
  const latencies: number[] = [];
  for (const name of readdirSync(dir).filter((file) => file.startsWith('log'))) {
    for (const line of readFileSync(join(dir, name), 'utf8').split('\n')) {
      const fields = line.split(' ');
      const micros = Number(fields[2]);
      if (fields.length >= 6 && Number.isFinite(micros)) latencies.push(micros / 1000);
    }
  }
  return latencies;
}

/**
 * The statements of one recorded transaction as a pgbench script: each on one line, with its
 * parameters written in as literals (pgbench -M prepared then prepares them once per client).
 * Statements the application sent as one pipeline go between \startpipeline and \endpipeline,
 * so pgbench too sends them in one round trip.
 */
export function pgbenchScript(statements: SentQuery[]): string {
  const lines: string[] = [];
  statements.forEach((statement, index) => {
    const previous = statements[index - 1]?.pipeline;
    if (statement.pipeline !== previous && previous !== undefined) lines.push('\\endpipeline');
    if (statement.pipeline !== previous && statement.pipeline !== undefined) lines.push('\\startpipeline');
    lines.push(`${inlineParameters(statement.text, statement.values)};`);
  });
  if (statements.at(-1)?.pipeline !== undefined) lines.push('\\endpipeline');
  return `${lines.join('\n')}\n`;
}

function inlineParameters(text: string, values: unknown[]): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  // pgbench reads ":name" as one of its variables, even inside a string literal.
  if (/(^|[^:]):[A-Za-z_]/.test(oneLine)) throw new Error(`statement has a ":name" pgbench would take for a variable: ${oneLine}`);
  return oneLine.replace(/\$(\d+)/g, (_, n: string) => literal(values[Number(n) - 1]));
}

/** node-postgres's own serializer of parameter values, which its types leave out. */
const { prepareValue } = (pg as unknown as { utils: { prepareValue: (value: unknown) => unknown } }).utils;

/**
 * A parameter pgbench computes itself on every transaction instead of sending the recorded value:
 * `gen_random_uuid()` for an id the server makes per request (a live event's), which a replay of
 * the recorded one would violate a primary key with.
 */
export class SqlExpression {
  constructor(readonly sql: string) {}
}

/** A UUID made anew for every transaction: by pgbench in SQL, by the driver's replay (driver-rate.ts) in Node. */
export const FRESH_UUID = new SqlExpression('gen_random_uuid()');

function literal(value: unknown): string {
  if (value instanceof SqlExpression) return value.sql;
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value instanceof Date) return quote(value.toISOString());
  if (typeof value === 'string') return quote(value);
  // Lists (`= any($n)` in the task list) as PostgreSQL array literals, the way node-postgres sends them.
  if (Array.isArray(value)) return quote(String(prepareValue(value)));
  return quote(JSON.stringify(value));
}

function quote(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

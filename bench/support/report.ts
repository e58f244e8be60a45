import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { SERVER_URL } from './datasets.js';

export const RESULTS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'results');

export type Machine = {
  date: string;
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  postgres: string;
  commit: string | null;
};

let machine: Promise<Machine> | undefined;

/** What the numbers were measured on; asked once per process. */
export function describeMachine(): Promise<Machine> {
  machine ??= (async () => {
    const client = new pg.Client({ connectionString: SERVER_URL });
    await client.connect();
    try {
      const { rows } = await client.query<{ version: string }>("select current_setting('server_version') as version");
      return {
        date: new Date().toISOString(),
        cpus: availableParallelism(),
        cpuModel: cpus()[0]?.model ?? 'unknown',
        memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
        node: process.version,
        postgres: rows[0]?.version ?? 'unknown',
        commit: gitCommit(),
      };
    } finally {
      await client.end();
    }
  })();
  return machine;
}

function gitCommit(): string | null {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

/** Writes bench/results/<name>.json with the machine attached; returns the path. */
export async function writeResult(name: string, result: object): Promise<string> {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, `${name}.json`);
  // The machine is shared: the load averages (1, 5, 15 min) at the end say how busy it was meanwhile.
  const loadAverage = loadavg().map((value) => Math.round(value * 100) / 100);
  writeFileSync(file, `${JSON.stringify({ benchmark: name, machine: await describeMachine(), loadAverage, finishedAt: new Date().toISOString(), ...result }, null, 2)}\n`);
  return file;
}

/** A plain-text table: the first row is the header; numbers right-aligned. */
export function printTable(title: string, rows: (string | number)[][]): void {
  const text = rows.map((row) => row.map((cell) => (typeof cell === 'number' ? formatNumber(cell) : cell)));
  const widths = text[0]?.map((_, column) => Math.max(...text.map((row) => row[column]?.length ?? 0))) ?? [];
  const line = (row: string[]) =>
    row.map((cell, column) => (rows[1]?.[column] !== undefined && typeof rows[1][column] === 'number' ? cell.padStart(widths[column] ?? 0) : cell.padEnd(widths[column] ?? 0))).join('  ');
  process.stdout.write(`\n${title}\n`);
  const [header, ...body] = text;
  if (header) {
    process.stdout.write(`${line(header)}\n${widths.map((width) => '-'.repeat(width)).join('  ')}\n`);
  }
  for (const row of body) process.stdout.write(`${line(row)}\n`);
}

export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return '—';
  if (Number.isInteger(value)) return value.toLocaleString('en-US');
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : Math.abs(value) >= 1 ? 2 : 3;
  return value.toFixed(digits);
}

export function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

import { execFile, spawn } from 'node:child_process';
import { TenantryError } from '../errors.js';

export type PgTool = 'pg_dump' | 'pg_restore';
export type ToolVersion = { version: string; major: number };

const INSTALL_HINT = 'install the PostgreSQL client tools: apt-get install postgresql-client';

/** The installed tool's version ("15.20", 15); a missing tool is one line with the fix. */
export async function toolVersion(tool: PgTool): Promise<ToolVersion> {
  const output = await new Promise<string>((resolve, reject) => {
    execFile(tool, ['--version'], { timeout: 10_000 }, (error, stdout) => {
      if (error) reject(isMissing(error) ? notFound(tool) : new TenantryError('unavailable', `${tool} --version failed: ${error.message}`));
      else resolve(stdout);
    });
  });
  const match = /\(PostgreSQL\)\s+(\d+)(?:\.(\d+))?/.exec(output);
  if (!match?.[1]) throw new TenantryError('unavailable', `cannot tell which version ${tool} is from: ${output.trim()}`);
  return { version: match[2] === undefined ? match[1] : `${match[1]}.${match[2]}`, major: Number(match[1]) };
}

/** The major version of a PostgreSQL version string (10 and later): "15.20" → 15. */
export function majorOf(version: string): number {
  return Number.parseInt(version, 10);
}

/** libpq reads these from the environment, so query parameters we do not know are ignored. */
const QUERY_PARAMETERS: Record<string, string> = {
  host: 'PGHOST',
  port: 'PGPORT',
  sslmode: 'PGSSLMODE',
  sslrootcert: 'PGSSLROOTCERT',
  sslcert: 'PGSSLCERT',
  sslkey: 'PGSSLKEY',
  application_name: 'PGAPPNAME',
  connect_timeout: 'PGCONNECT_TIMEOUT',
  options: 'PGOPTIONS',
};

/**
 * The connection a postgres:// URL names, as libpq environment variables. pg_dump and
 * pg_restore get it this way rather than as arguments, so the password never appears in `ps`.
 */
export function connectionEnv(url: string): Record<string, string> {
  const parsed = new URL(url);
  const env: Record<string, string> = {};
  if (parsed.hostname) env.PGHOST = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  if (parsed.port) env.PGPORT = parsed.port;
  if (parsed.username) env.PGUSER = decodeURIComponent(parsed.username);
  if (parsed.password) env.PGPASSWORD = decodeURIComponent(parsed.password);
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  if (database) env.PGDATABASE = database;
  for (const [key, value] of parsed.searchParams) {
    const name = QUERY_PARAMETERS[key];
    if (name) env[name] = value;
  }
  return env;
}

/**
 * `dbname=…` for pg_restore's --dbname: quoted as libpq conninfo, so a database name that
 * happens to contain `=` or look like a URL is still taken as a plain name.
 */
export function dbnameArgument(database: string): string {
  return `dbname='${database.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
}

export type RunOptions = {
  env: Record<string, string>;
  /** Called with each table whose data the tool starts on (needs --verbose). */
  onTable?: (table: string) => void;
};

/** What --verbose prints as pg_dump and pg_restore start on a table's rows. */
const TABLE_DATA_LINE = /(?:dumping contents of|processing data for) table "(.+)"$/;
const ERROR_LINE = /^(?:pg_dump|pg_restore): error: (.*)$/;

/**
 * Runs pg_dump or pg_restore and waits for it. A failure becomes one line: the tool's first
 * error, which is the cause (later lines are the consequences and the failing SQL).
 */
export async function runPgTool(tool: PgTool, args: string[], options: RunOptions): Promise<void> {
  const child = spawn(tool, args, {
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let firstError: string | null = null;
  let lastLine = '';
  let pending = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    const lines = (pending + chunk).split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      const table = TABLE_DATA_LINE.exec(line)?.[1];
      if (table !== undefined) options.onTable?.(table);
      const error = ERROR_LINE.exec(line)?.[1];
      if (error !== undefined && firstError === null) firstError = error;
      if (line.trim()) lastLine = line.trim();
    }
  });
  const exitCode = await new Promise<number | null>((resolve, reject) => {
    child.on('error', (error) => reject(isMissing(error) ? notFound(tool) : error));
    child.on('close', (code, signal) => resolve(signal ? null : code));
  });
  if (exitCode === 0) return;
  const reason = firstError ?? (lastLine || `exited with ${exitCode === null ? 'a signal' : `code ${exitCode}`}`);
  throw new TenantryError('internal', `${tool} failed: ${reason.replace(/\s+/g, ' ').trim()}`);
}

function isMissing(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === 'ENOENT';
}

function notFound(tool: PgTool): TenantryError {
  return new TenantryError('unavailable', `${tool} was not found on PATH; ${INSTALL_HINT}`);
}

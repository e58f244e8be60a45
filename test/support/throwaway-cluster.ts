import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A private PostgreSQL cluster for tests that stop, start or break the server. The shared
 * cluster other test files use is never touched: this one has its own data folder, port and
 * socket folder, listens on loopback only, and is removed by `destroy()`.
 */
export type ThrowawayCluster = {
  port: number;
  /** postgres://postgres@127.0.0.1:<port>/<database>, trust auth. */
  urlFor(database: string): string;
  /** `pg_ctl stop`; resolves once the postmaster is gone. */
  stop(mode?: 'smart' | 'fast' | 'immediate'): Promise<void>;
  /** `pg_ctl start -w`; resolves once the server accepts connections. */
  start(): Promise<void>;
  /** The server log so far, for failure messages. */
  log(): string;
  /** Stops the server (immediately) and deletes the folder. Safe to call twice. */
  destroy(): Promise<void>;
};

export type ThrowawayClusterOptions = {
  /** Extra server settings (`-c name=value`), after the defaults so they win. */
  settings?: Record<string, string>;
};

const COMMAND_TIMEOUT_MS = 30_000;

/**
 * The folder holding initdb and pg_ctl: PG_BIN when set, else the newest
 * /usr/lib/postgresql/<major>/bin, else `pg_config --bindir`; null when none has both.
 */
export function postgresBinDir(): string | null {
  const candidates: string[] = [];
  if (process.env.PG_BIN) candidates.push(process.env.PG_BIN);
  if (existsSync('/usr/lib/postgresql')) {
    const majors = readdirSync('/usr/lib/postgresql').filter((name) => /^\d+$/.test(name)).sort((a, b) => Number(b) - Number(a));
    candidates.push(...majors.map((major) => `/usr/lib/postgresql/${major}/bin`));
  }
  try {
    candidates.push(execFileSync('pg_config', ['--bindir'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
  } catch {
    // No pg_config on the PATH: the fixed locations above are all there is.
  }
  const usable = candidates.find((dir) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl')));
  if (!usable) return null;
  // initdb refuses to run as root, so root needs an unprivileged account to run it as.
  if (isRoot() && unprivilegedAccount() === null) return null;
  return usable;
}

/** Why throwaway clusters cannot run here, or null when they can: the reason a test skips with. */
export function throwawayClusterUnavailable(): string | null {
  return postgresBinDir() === null ? 'no initdb/pg_ctl found (set PG_BIN), or running as root without a postgres account' : null;
}

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('no port assigned'))));
    });
  });
}

/**
 * Creates and starts a fresh cluster (initdb, trust auth, fsync off: nothing here outlives the
 * test, and the tests stop PostgreSQL cleanly or not at all).
 *
 * @example
 * const cluster = await startThrowawayCluster();
 * await cluster.stop('fast'); await cluster.start();
 * await cluster.destroy();
 */
export async function startThrowawayCluster(options: ThrowawayClusterOptions = {}): Promise<ThrowawayCluster> {
  const binDir = postgresBinDir();
  if (!binDir) throw new Error(throwawayClusterUnavailable() ?? 'PostgreSQL binaries unavailable');
  const folder = mkdtempSync(join(tmpdir(), 'tenantry-cluster-'));
  const account = isRoot() ? unprivilegedAccount() : null;
  if (account) chownSync(folder, account.uid, account.gid);
  const dataDir = join(folder, 'data');
  const logFile = join(folder, 'postgres.log');
  const port = await freePort();

  const run = (tool: string, args: string[]) => {
    const [file, argv] = account
      ? ['runuser', ['-u', account.name, '--', join(binDir, tool), ...args]]
      : [join(binDir, tool), args];
    return new Promise<void>((resolve, reject) => {
      execFile(file, argv, { timeout: COMMAND_TIMEOUT_MS, cwd: folder }, (error, _stdout, stderr) => {
        if (error) reject(new Error(`${tool} ${args.join(' ')} failed: ${error.message}\n${stderr}`));
        else resolve();
      });
    });
  };
  const extra = Object.entries(options.settings ?? {}).map(([name, value]) => ` -c ${name}=${value}`).join('');
  const serverOptions = `-p ${port} -k ${folder} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=60${extra}`;
  const stop = (mode: 'smart' | 'fast' | 'immediate' = 'fast') => run('pg_ctl', ['-D', dataDir, '-m', mode, '-w', '-t', '30', 'stop']);
  const start = () => run('pg_ctl', ['-D', dataDir, '-l', logFile, '-o', serverOptions, '-w', '-t', '30', 'start']);

  // A worker that dies mid-test must not leave a postmaster behind.
  const killOnExit = () => {
    try {
      const pid = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
      if (pid > 0) process.kill(pid, 'SIGQUIT');
    } catch {
      // Not running: nothing to clean up.
    }
  };
  process.once('exit', killOnExit);

  let destroyed = false;
  const destroy = async () => {
    if (destroyed) return;
    destroyed = true;
    process.removeListener('exit', killOnExit);
    if (existsSync(join(dataDir, 'postmaster.pid'))) await stop('immediate').catch(() => undefined);
    rmSync(folder, { recursive: true, force: true });
  };

  try {
    await run('initdb', ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-sync', '--no-instructions']);
    await start();
  } catch (error) {
    await destroy();
    throw error;
  }
  return {
    port,
    urlFor: (database) => `postgres://postgres@127.0.0.1:${port}/${encodeURIComponent(database)}`,
    stop,
    start,
    log: () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : ''),
    destroy,
  };
}

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** The `postgres` account (what the Debian packages create), to run server binaries as under root. */
function unprivilegedAccount(): { name: string; uid: number; gid: number } | null {
  try {
    const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
    const uid = id('-u');
    return uid > 0 ? { name: 'postgres', uid, gid: id('-g') } : null;
  } catch {
    return null;
  }
}

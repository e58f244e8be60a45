import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { connect } from 'node:net';
import { join } from 'node:path';
import { freePort } from '../support/throwaway-cluster.js';

/** A PgBouncer of our own in front of one database, on loopback, removed by `destroy()`. */
export type PgBouncer = {
  /** The URL clients use: the same user and database name, PgBouncer's port. */
  url: string;
  log(): string;
  destroy(): Promise<void>;
};

export type PgBouncerOptions = {
  /** The database behind it (postgres://user[:password]@host:port/name). */
  target: string;
  poolMode: 'session' | 'transaction';
  poolSize: number;
};

/** The pgbouncer binary, or null; Debian installs it in /usr/sbin, often missing from PATH. */
export function pgbouncerBinary(): string | null {
  for (const candidate of ['/usr/sbin/pgbouncer', '/usr/bin/pgbouncer', '/usr/local/bin/pgbouncer']) {
    if (existsSync(candidate)) return candidate;
  }
  try {
    return execFileSync('sh', ['-c', 'command -v pgbouncer'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() || null;
  } catch {
    return null;
  }
}

/**
 * Starts PgBouncer as a daemon (as `postgres` when we are root: it refuses to run as root) with
 * trust auth towards its clients and the target's credentials towards the server.
 *
 * @example
 * const bouncer = await startPgBouncer({ target: test.url, poolMode: 'transaction', poolSize: 2 });
 */
export async function startPgBouncer(options: PgBouncerOptions): Promise<PgBouncer> {
  const binary = pgbouncerBinary();
  if (!binary) throw new Error('pgbouncer is not installed (apt-get install pgbouncer)');
  const target = new URL(options.target);
  const database = decodeURIComponent(target.pathname.replace(/^\//, ''));
  const user = decodeURIComponent(target.username || 'postgres');
  const port = await freePort();
  const folder = mkdtempSync(join(tmpdir(), 'tenantry-pgbouncer-'));
  const pidFile = join(folder, 'pgbouncer.pid');
  const logFile = join(folder, 'pgbouncer.log');
  const iniFile = join(folder, 'pgbouncer.ini');
  const quote = (value: string) => `'${value.replace(/'/g, "''")}'`;
  const server = [
    `host=${target.hostname.replace(/^\[(.*)\]$/, '$1') || '127.0.0.1'}`,
    `port=${target.port || '5432'}`,
    `dbname=${quote(database)}`,
    `user=${quote(user)}`,
    ...(target.password ? [`password=${quote(decodeURIComponent(target.password))}`] : []),
  ].join(' ');
  writeFileSync(join(folder, 'users.txt'), `"${user.replace(/"/g, '""')}" ""\n`);
  writeFileSync(
    iniFile,
    [
      '[databases]',
      `${database} = ${server}`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      'unix_socket_dir =',
      'auth_type = trust',
      `auth_file = ${join(folder, 'users.txt')}`,
      // The admin console (SHOW POOLS), so a test can see how many server connections it used.
      `admin_users = ${user}`,
      `pool_mode = ${options.poolMode}`,
      `default_pool_size = ${options.poolSize}`,
      'min_pool_size = 0',
      'reserve_pool_size = 0',
      `max_db_connections = ${options.poolSize}`,
      'max_client_conn = 500',
      'query_wait_timeout = 30',
      `logfile = ${logFile}`,
      `pidfile = ${pidFile}`,
      '',
    ].join('\n'),
  );
  const account = typeof process.getuid === 'function' && process.getuid() === 0 ? 'postgres' : null;
  if (account) {
    const id = (flag: string) => Number(execFileSync('id', [flag, account], { encoding: 'utf8' }).trim());
    for (const path of [folder, iniFile, join(folder, 'users.txt')]) chownSync(path, id('-u'), id('-g'));
  }

  const [file, args] = account ? ['runuser', ['-u', account, '--', binary, '-d', iniFile]] : [binary, ['-d', iniFile]];
  await new Promise<void>((resolve, reject) => {
    execFile(file, args, { timeout: 15_000 }, (error, _stdout, stderr) =>
      error ? reject(new Error(`pgbouncer did not start: ${error.message}\n${stderr}${readIfThere(logFile)}`)) : resolve(),
    );
  });

  // The daemon's parent may return before the child listens; wait for the port, bounded.
  if (!(await acceptsConnections(port, 10_000))) {
    const log = readIfThere(logFile);
    rmSync(folder, { recursive: true, force: true });
    throw new Error(`pgbouncer is not accepting connections on 127.0.0.1:${port}:\n${log}`);
  }

  const pid = () => Number(readIfThere(pidFile).trim()) || null;
  const stopOnExit = () => {
    const running = pid();
    if (running) process.kill(running, 'SIGTERM');
  };
  process.once('exit', stopOnExit);

  let destroyed = false;
  return {
    url: `postgres://${encodeURIComponent(user)}@127.0.0.1:${port}/${encodeURIComponent(database)}`,
    log: () => readIfThere(logFile),
    destroy: async () => {
      if (destroyed) return;
      destroyed = true;
      process.removeListener('exit', stopOnExit);
      const running = pid();
      if (running) {
        // SIGTERM: immediate shutdown (PgBouncer before 1.23; later versions wait for clients, which are gone by now).
        process.kill(running, 'SIGTERM');
        for (let i = 0; i < 100 && isAlive(running); i++) await new Promise((done) => setTimeout(done, 50));
        if (isAlive(running)) process.kill(running, 'SIGKILL');
      }
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

async function acceptsConnections(port: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port }, () => {
        socket.end();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return true;
    await new Promise((done) => setTimeout(done, 50));
  }
  return false;
}

function readIfThere(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

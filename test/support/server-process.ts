import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './throwaway-cluster.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** `npm start` (src/main.ts) running as a child process, on loopback, with its own data folder. */
export type ServerProcess = {
  baseUrl: string;
  pid: number;
  /** Everything it printed so far (stdout and stderr), for failure messages. */
  output(): string;
  /** Whether the process is still alive. */
  running(): boolean;
  /** Sends a signal and resolves when the process has exited, with its exit code or signal. */
  kill(signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Kills it if still running and removes its data folder. Safe to call twice. */
  destroy(): Promise<void>;
};

export type ServerProcessOptions = {
  /** PostgreSQL to use; undefined runs on PGlite in the server's own data folder. */
  databaseUrl: string | undefined;
  /** How long start-up (migrate, seed, validate, listen) may take. */
  readyTimeoutMs?: number;
  env?: Record<string, string>;
};

/**
 * Starts src/main.ts exactly as `npm start` does (init, then serve), but through `node --import
 * tsx` directly, so a signal reaches the server itself and not an npm or npx wrapper.
 *
 * @example
 * const server = await startServerProcess({ databaseUrl });
 * await fetch(`${server.baseUrl}/health`);
 * await server.kill('SIGKILL');
 */
export async function startServerProcess(options: ServerProcessOptions): Promise<ServerProcess> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'tenantry-server-'));
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: repoRoot,
    env: {
      ...process.env,
      // An empty value means unset to the config, so the embedded PGlite is used.
      DATABASE_URL: options.databaseUrl ?? '',
      PORT: String(port),
      BASE_URL: `http://127.0.0.1:${port}`,
      TENANTRY_DATA_DIR: dataDir,
      NODE_ENV: 'test',
      LOG_LEVEL: 'fatal',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    // Bounded: a chatty server must not grow the test process without limit.
    output = (output + chunk.toString('utf8')).slice(-200_000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => {
    child.once('exit', (code, signal) => done({ code, signal }));
  });
  const baseUrl = `http://127.0.0.1:${port}`;

  let destroyed = false;
  const destroy = async () => {
    if (destroyed) return;
    destroyed = true;
    if (isRunning(child)) {
      child.kill('SIGKILL');
      await exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  };

  const deadline = Date.now() + (options.readyTimeoutMs ?? 60_000);
  for (;;) {
    if (!isRunning(child)) {
      await destroy();
      throw new Error(`the server exited during start-up (exit code ${child.exitCode}, signal ${child.signalCode}):\n${output}`);
    }
    if (await answersHealth(baseUrl)) break;
    if (Date.now() > deadline) {
      await destroy();
      throw new Error(`the server did not answer /health within ${options.readyTimeoutMs ?? 60_000} ms:\n${output}`);
    }
    await new Promise((done) => setTimeout(done, 100));
  }

  return {
    baseUrl,
    pid: child.pid ?? -1,
    output: () => output,
    running: () => isRunning(child),
    kill: async (signal) => {
      if (isRunning(child)) child.kill(signal);
      return exited;
    },
    destroy,
  };
}

function isRunning(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

async function answersHealth(baseUrl: string): Promise<boolean> {
  try {
    const response = await fetch(`${baseUrl}/health`, { signal: AbortSignal.timeout(1_000) });
    await response.body?.cancel();
    return response.ok;
  } catch {
    return false;
  }
}

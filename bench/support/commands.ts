import { spawn } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export type CommandRun = { seconds: number; output: string; command: string };

/**
 * Runs a command to completion and times it, wall clock, process start included (that is what
 * an operator waits for). Fails on a non-zero exit or after `timeoutSeconds`.
 */
export function runTimed(command: string, args: string[], options: { env?: Record<string, string>; timeoutSeconds: number }): Promise<CommandRun> {
  const started = performance.now();
  const shown = `${command} ${args.join(' ')}`;
  return new Promise((done, fail) => {
    const child = spawn(command, args, { cwd: repoRoot, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const collect = (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-100_000);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutSeconds * 1000);
    child.once('error', fail);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      const seconds = (performance.now() - started) / 1000;
      if (code === 0) done({ seconds, output, command: shown });
      else fail(new Error(`${shown} failed (${signal ?? code}) after ${seconds.toFixed(1)} s:\n${output}`));
    });
  });
}

/** `node bin/tenantry.js …`, as an operator runs it. */
export function tenantry(args: string[], options: { env?: Record<string, string>; timeoutSeconds: number }): Promise<CommandRun> {
  return runTimed(process.execPath, ['bin/tenantry.js', ...args], options);
}

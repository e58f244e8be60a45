/**
 * `prestart`: builds the web app only when its sources changed. The hash of web/ sources, the
 * lockfile and the Vite config is written into web/dist/.build-hash; the same hash means the
 * build in web/dist is current and nothing runs (start-up stays fast).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const web = join(root, 'web');
const hashFile = join(web, 'dist', '.build-hash');

/** Every file under web/ except the build output, in a stable order. */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      if (path === join(web, 'dist') || name === 'node_modules') return [];
      return statSync(path).isDirectory() ? sourceFiles(path) : [path];
    });
}

export function sourceHash(): string {
  const hash = createHash('sha256');
  for (const file of [...sourceFiles(web), join(root, 'package-lock.json')]) {
    hash.update(relative(root, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
}

export function buildWebIfChanged(log: (line: string) => void = console.log): boolean {
  const hash = sourceHash();
  if (existsSync(hashFile) && readFileSync(hashFile, 'utf8') === hash) return false;
  log('web app sources changed: building web/dist …');
  execFileSync(process.execPath, [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--config', join(web, 'vite.config.ts'), '--logLevel', 'warn'], {
    cwd: root,
    stdio: 'inherit',
    // Vite follows NODE_ENV: under `test` (the e2e suite) it would ship React's development build.
    env: { ...process.env, NODE_ENV: 'production' },
  });
  writeFileSync(hashFile, hash);
  return true;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) buildWebIfChanged();

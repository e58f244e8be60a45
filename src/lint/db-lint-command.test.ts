import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { registerLint } from '../cli/commands/db-lint.js';
import { TenantryError } from '../errors.js';

const FIXTURES = fileURLToPath(new URL('../../test/fixtures/lint/', import.meta.url));

/** Runs `tenantry db lint …` in process and returns what it printed. */
async function runLint(...args: string[]): Promise<string> {
  const program = new Command('tenantry').exitOverride();
  registerLint(program.command('db'));
  const output: string[] = [];
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    output.push(String(chunk));
    return true;
  });
  try {
    await program.parseAsync(['db', 'lint', ...args], { from: 'user' });
  } finally {
    write.mockRestore();
  }
  return output.join('');
}

describe('tenantry db lint', () => {
  beforeEach(() => {
    process.exitCode = undefined;
  });
  afterEach(() => {
    process.exitCode = undefined;
  });

  it('prints one path:line  rule  message line per finding and a summary, then exits 1', async () => {
    const unsafe = join(FIXTURES, 'unsafe.sql');
    const printed = (await runLint(join(FIXTURES, 'safe.sql'), unsafe)).trimEnd().split('\n');
    expect(printed.map((line) => line.split('  ').slice(0, 2).join('  '))).toEqual([
      `${unsafe}:2  not-null-column-without-default`,
      `${unsafe}:2  missing-timeout`,
      `${unsafe}:3  index-without-concurrently`,
      `${unsafe}:4  rename-column`,
      '4 finding(s) in 1 of 2 file(s).',
    ]);
    expect(process.exitCode).toBe(1);
  });

  it('prints the findings as a JSON array with --json', async () => {
    const findings: unknown = JSON.parse(await runLint('--json', join(FIXTURES, 'unsafe.sql')));
    expect(findings).toHaveLength(4);
    expect(findings).toContainEqual({
      file: join(FIXTURES, 'unsafe.sql'),
      line: 4,
      rule: 'rename-column',
      message: 'renaming users.name to full_name breaks the code still running; add the new column, write both, backfill, switch reads, then drop the old one',
    });
    expect(process.exitCode).toBe(1);
  });

  it('says so and exits 0 when the files are clean', async () => {
    expect(await runLint(join(FIXTURES, 'safe.sql'), join(FIXTURES, 'concurrent-index.sql'))).toBe('No findings in 2 file(s).\n');
    expect(process.exitCode).toBeUndefined();
    expect(await runLint('--json', join(FIXTURES, 'safe.sql'))).toBe('[]\n');
  });

  it('fails with a TenantryError, for the CLI to print as one line, when a file cannot be read', async () => {
    await expect(runLint(join(FIXTURES, 'missing.sql'))).rejects.toBeInstanceOf(TenantryError);
  });

  it('documents the default targets, the rules and the ignore comment in --help', () => {
    const program = new Command('tenantry').exitOverride().configureOutput({ writeOut: () => undefined });
    registerLint(program.command('db'));
    const lint = program.commands[0]?.commands.find((command) => command.name() === 'lint');
    let help = '';
    lint?.configureOutput({ writeOut: (text) => (help += text) });
    lint?.outputHelp();
    expect(help).toMatch(/every migrations\/\*\/up\.sql; down\.sql files are rollbacks/);
    expect(help).toMatch(/constraint-without-not-valid/);
    expect(help).toMatch(/-- tenantry-lint-ignore drop-column: /);
  });
});

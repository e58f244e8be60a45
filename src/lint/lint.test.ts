import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { TenantryError } from '../errors.js';
import { type Finding, lintFiles, lintSql, migrationUpScripts } from './lint.js';

const FIXTURES = fileURLToPath(new URL('../../test/fixtures/lint/', import.meta.url));
const TIMEOUTS = "set local lock_timeout = '5s';\nset local statement_timeout = '1min';\n";

async function hits(sql: string): Promise<{ rule: string; line: number }[]> {
  return (await lintSql(sql, 'case.sql')).map(({ rule, line }) => ({ rule, line }));
}

describe('silencing', () => {
  it('silences only the named rule, only for the statement right below', async () => {
    const sql = [
      TIMEOUTS.trimEnd(),
      '-- Contract step.',
      '-- tenantry-lint-ignore drop-column: no release since 0.4 reads it',
      '-- tenantry-lint-ignore change-column-type: users has a few hundred rows',
      'alter table users drop column nickname, alter column age type bigint, add column tier text not null;',
      'alter table users drop column legacy;',
    ].join('\n');
    expect(await hits(sql)).toEqual([
      { rule: 'not-null-column-without-default', line: 6 },
      { rule: 'drop-column', line: 7 },
    ]);
  });

  it('needs the comment directly above: a blank line in between breaks it', async () => {
    const sql = `${TIMEOUTS}-- tenantry-lint-ignore drop-column: unused since 0.4\n\nalter table users drop column nickname;`;
    expect(await hits(sql)).toEqual([{ rule: 'drop-column', line: 5 }]);
  });

  it('silences a file-wide rule where it is reported', async () => {
    const sql = '-- tenantry-lint-ignore missing-timeout: first deploy, users is empty\nalter table users add column tier text;';
    expect(await hits(sql)).toEqual([]);
  });
});

describe('tables created in the same file', () => {
  it('count as new: nothing that reshapes them fires, and they need no timeouts', async () => {
    const sql = [
      'create table widgets (id int primary key, name text, size int);',
      'create index widgets_name_idx on widgets (name);',
      'alter table widgets add column owner_id int not null;',
      'alter table widgets add constraint widgets_size_check check (size > 0);',
      'alter table widgets add foreign key (owner_id) references users (id);',
      'alter table widgets alter column size type bigint;',
      'alter table widgets rename column name to label;',
      'alter table widgets drop column label;',
      'create table gadgets as select 1 as id;',
      'alter table gadgets rename to gizmos;',
      'alter table gizmos add column kind text not null;',
      'drop table gizmos;',
    ].join('\n');
    expect(await hits(sql)).toEqual([]);
  });

  it('do not cover a table the file only references', async () => {
    const sql = 'create table widgets (id int primary key, owner_id int references users (id));\ncreate index users_name_idx on users (name);';
    expect(await hits(sql)).toEqual([
      { rule: 'index-without-concurrently', line: 2 },
      { rule: 'missing-timeout', line: 2 },
    ]);
  });
});

describe('line numbers', () => {
  it('point at the first token, past comments, multi-byte text and earlier statements on the line', async () => {
    const sql = [
      "-- Größe — naïve comment; with a semicolon and 'quotes'",
      TIMEOUTS.trimEnd(),
      "comment on table users is '————————————————————';   /* block",
      'comment */',
      '',
      '  alter table users',
      '    drop column nickname;  alter table users rename to people;',
    ].join('\n');
    // The parser counts bytes: forty extra in the em dashes would push line 7 onto line 8.
    expect(await hits(sql)).toEqual([
      { rule: 'drop-column', line: 7 },
      { rule: 'rename-table', line: 8 },
    ]);
  });
});

describe('lintFiles', () => {
  it('labels findings with the path given, file by file', async () => {
    const unsafe = join(FIXTURES, 'unsafe.sql');
    const findings = await lintFiles([join(FIXTURES, 'safe.sql'), unsafe, join(FIXTURES, 'concurrent-index.sql')]);
    expect(findings.map(({ file, line, rule }) => `${basename(file)}:${line} ${rule}`)).toEqual([
      'unsafe.sql:2 not-null-column-without-default',
      'unsafe.sql:2 missing-timeout',
      'unsafe.sql:3 index-without-concurrently',
      'unsafe.sql:4 rename-column',
    ]);
    expect(findings.every((finding) => finding.file === unsafe)).toBe(true);
  });

  it('refuses a file it cannot read with one clear line', async () => {
    const missing = join(FIXTURES, 'no-such-file.sql');
    await expect(lintFiles([missing])).rejects.toThrow(new TenantryError('bad_request', `cannot read ${missing}: no such file`));
    await expect(lintFiles([FIXTURES])).rejects.toThrow(/it is a directory$/);
  });
});

describe('migrationUpScripts', () => {
  it('lists up.sql of every NNNN_name folder, in version order, and nothing else', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tenantry-lint-'));
    try {
      for (const folder of ['0002_second', '0001_first', 'notes']) mkdirSync(join(dir, folder));
      writeFileSync(join(dir, '0003_not_a_folder'), '');
      expect(migrationUpScripts(dir)).toEqual([join(dir, '0001_first', 'up.sql'), join(dir, '0002_second', 'up.sql')]);
    } finally {
      rmSync(dir, { recursive: true });
    }
  });
});

describe("the project's own migrations", () => {
  it('lints up.sql only, in version order', () => {
    const scripts = migrationUpScripts();
    expect(scripts.length).toBeGreaterThanOrEqual(4);
    expect(scripts.every((path) => basename(path) === 'up.sql')).toBe(true);
    expect(scripts.map((path) => basename(dirname(path)))).toEqual(scripts.map((path) => basename(dirname(path))).sort());
  });

  // 0002 reshapes sessions and users, which 0001 created; the lead decides on ignores for these.
  it('lint clean: statements on tables an earlier migration created carry a justified ignore', async () => {
    const findings = await lintFiles(migrationUpScripts());
    expect(findings.map(describeFinding)).toEqual([]);
  });
});

function describeFinding({ file, line, rule }: Finding): string {
  const text = readFileSync(file, 'utf8').split('\n')[line - 1] ?? '';
  return `${basename(dirname(file))} ${rule} at: ${text}`;
}

import { describe, expect, it } from 'vitest';
import { lintSql } from './lint.js';

/** Sets both timeouts, so a case shows only the rule it is about; its statement starts on line 3. */
const TIMEOUTS = "set local lock_timeout = '5s';\nset local statement_timeout = '1min';\n";
const NO_TRANSACTION = "-- tenantry:no-transaction\nset lock_timeout = '5s';\nset statement_timeout = '30min';\n";

async function hits(sql: string): Promise<{ rule: string; line: number }[]> {
  return (await lintSql(sql, 'case.sql')).map(({ rule, line }) => ({ rule, line }));
}

describe('not-null-column-without-default', () => {
  it('fires on a NOT NULL column without a default', async () => {
    expect(await hits(`${TIMEOUTS}alter table users add column tier text not null;`)).toEqual([
      { rule: 'not-null-column-without-default', line: 3 },
    ]);
  });

  it('stays quiet on a nullable column, a column with a default, and a NOT NULL inside a check', async () => {
    expect(await hits(`${TIMEOUTS}alter table users add column tier text;`)).toEqual([]);
    expect(await hits(`${TIMEOUTS}alter table users add column tier text not null default 'free';`)).toEqual([]);
    expect(await hits(`${TIMEOUTS}alter table users add column tier text check (tier is not null);`)).toEqual([]);
    expect(await hits(`${TIMEOUTS}alter table users add column seq bigserial not null;`)).toEqual([]);
    expect(await hits(`${TIMEOUTS}alter table users add column n int not null generated always as identity;`)).toEqual([]);
  });
});

describe('index-without-concurrently', () => {
  it('fires on CREATE INDEX on an existing table', async () => {
    expect(await hits(`${TIMEOUTS}create index users_email_idx on users (email);`)).toEqual([
      { rule: 'index-without-concurrently', line: 3 },
    ]);
  });

  it('stays quiet on CREATE INDEX CONCURRENTLY in a no-transaction migration', async () => {
    expect(await hits(`${NO_TRANSACTION}create index concurrently users_email_idx on users (email);`)).toEqual([]);
  });
});

describe('concurrently-in-transaction', () => {
  it('fires on CONCURRENTLY without the no-transaction mark', async () => {
    expect(await hits(`${TIMEOUTS}create index concurrently users_email_idx on users (email);`)).toEqual([
      { rule: 'concurrently-in-transaction', line: 3 },
    ]);
    expect(await hits(`${TIMEOUTS}drop index concurrently users_email_idx;`)).toEqual([
      { rule: 'concurrently-in-transaction', line: 3 },
    ]);
    expect(await hits(`${TIMEOUTS}reindex index concurrently users_email_idx;`)).toEqual([
      { rule: 'concurrently-in-transaction', line: 3 },
    ]);
  });

  it('stays quiet when the migration opts out of its transaction', async () => {
    expect(await hits(`${NO_TRANSACTION}drop index concurrently users_email_idx;`)).toEqual([]);
  });
});

describe('rename-column', () => {
  it('fires on renaming a column', async () => {
    expect(await hits(`${TIMEOUTS}alter table users rename column name to full_name;`)).toEqual([
      { rule: 'rename-column', line: 3 },
    ]);
  });

  it('stays quiet on the expand step: add the new column and backfill it', async () => {
    const expand = `${TIMEOUTS}alter table users add column full_name text;\nupdate users set full_name = name where full_name is null;`;
    expect(await hits(expand)).toEqual([]);
  });
});

describe('rename-table', () => {
  it('fires on renaming a table', async () => {
    expect(await hits(`${TIMEOUTS}alter table users rename to people;`)).toEqual([{ rule: 'rename-table', line: 3 }]);
  });

  it('stays quiet on the expand step: a view under the new name', async () => {
    expect(await hits(`${TIMEOUTS}create view people as select * from users;`)).toEqual([]);
  });
});

describe('drop-column', () => {
  it('fires on dropping a column', async () => {
    expect(await hits(`${TIMEOUTS}alter table users drop column nickname;`)).toEqual([{ rule: 'drop-column', line: 3 }]);
  });

  it('stays quiet on the contract step when a comment says why it is safe now', async () => {
    const contract = `${TIMEOUTS}-- tenantry-lint-ignore drop-column: no release since 0.4 reads it\nalter table users drop column nickname;`;
    expect(await hits(contract)).toEqual([]);
  });
});

describe('drop-table', () => {
  it('fires on dropping a table, naming only the existing ones', async () => {
    const findings = await lintSql(`${TIMEOUTS}create table scratch (id int);\ndrop table scratch, legacy_sessions;`, 'case.sql');
    expect(findings.map(({ rule, line }) => ({ rule, line }))).toEqual([{ rule: 'drop-table', line: 4 }]);
    expect(findings[0]?.message).toMatch(/existing table legacy_sessions:/);
  });

  it('stays quiet on dropping a table this migration created', async () => {
    expect(await hits('create table scratch (id int);\ndrop table scratch;')).toEqual([]);
  });
});

describe('change-column-type', () => {
  it('fires on changing a column type', async () => {
    expect(await hits(`${TIMEOUTS}alter table users alter column age type bigint;`)).toEqual([
      { rule: 'change-column-type', line: 3 },
    ]);
  });

  it('stays quiet on the expand step: a new column of the new type', async () => {
    expect(await hits(`${TIMEOUTS}alter table users add column age_years bigint;`)).toEqual([]);
  });
});

describe('constraint-without-not-valid', () => {
  it('fires on a check, a foreign key and a unique constraint added in one go', async () => {
    const sql = [
      TIMEOUTS.trimEnd(),
      'alter table users add constraint users_age_check check (age >= 0);',
      'alter table sessions add foreign key (user_id) references users (id);',
      'alter table users add constraint users_email_key unique (email);',
      'alter table bookings add constraint bookings_no_overlap exclude using gist (room with =, during with &&);',
    ].join('\n');
    expect(await hits(sql)).toEqual([
      { rule: 'constraint-without-not-valid', line: 3 },
      { rule: 'constraint-without-not-valid', line: 4 },
      { rule: 'constraint-without-not-valid', line: 5 },
      { rule: 'constraint-without-not-valid', line: 6 },
    ]);
  });

  it('stays quiet on NOT VALID then VALIDATE, and on a unique constraint over a prepared index', async () => {
    const sql = [
      TIMEOUTS.trimEnd(),
      'alter table users add constraint users_age_check check (age >= 0) not valid;',
      'alter table users validate constraint users_age_check;',
      'alter table sessions add foreign key (user_id) references users (id) not valid;',
      'alter table users add constraint users_email_key unique using index users_email_idx;',
    ].join('\n');
    expect(await hits(sql)).toEqual([]);
  });
});

describe('missing-timeout', () => {
  it('fires once, on the first statement that touches an existing table', async () => {
    const sql = 'create table scratch (id int);\nalter table users add column tier text;\nalter table users add column plan text;';
    const findings = await lintSql(sql, 'case.sql');
    expect(findings.map(({ rule, line }) => ({ rule, line }))).toEqual([{ rule: 'missing-timeout', line: 2 }]);
    expect(findings[0]?.message).toMatch(/before setting lock_timeout and statement_timeout/);
  });

  it('fires when only one timeout is set, or when it is set too late', async () => {
    const lockOnly = await lintSql("set local lock_timeout = '5s';\nalter table users add column tier text;", 'case.sql');
    expect(lockOnly.map(({ rule, line, message }) => ({ rule, line, statementOnly: /setting statement_timeout:/.test(message) }))).toEqual([
      { rule: 'missing-timeout', line: 2, statementOnly: true },
    ]);
    const reset = `${TIMEOUTS}set local lock_timeout to default;\nalter table users add column tier text;`;
    expect(await hits(reset)).toEqual([{ rule: 'missing-timeout', line: 4 }]);
    expect(await hits(`${TIMEOUTS}reset all;\nalter table users add column tier text;`)).toEqual([{ rule: 'missing-timeout', line: 4 }]);
    const late = `alter table users add column tier text;\n${TIMEOUTS}`;
    expect(await hits(late)).toEqual([{ rule: 'missing-timeout', line: 1 }]);
  });

  it('does not count SET LOCAL in a no-transaction migration, where it ends with its own statement', async () => {
    const sql = "-- tenantry:no-transaction\nset local lock_timeout = '5s';\nset local statement_timeout = '1min';\ncreate index concurrently users_email_idx on users (email);";
    const findings = await lintSql(sql, 'case.sql');
    expect(findings.map(({ rule, line }) => ({ rule, line }))).toEqual([{ rule: 'missing-timeout', line: 4 }]);
    expect(findings[0]?.message).toMatch(/SET LOCAL ends with its own statement/);
  });

  it.each([
    'update users set full_name = name where full_name is null;',
    'delete from sessions where expires_at < now();',
    'create trigger users_touch before update on users for each row execute function app.touch_updated_at();',
    'create policy users_self on users for select using (true);',
    'alter policy users_self on users using (false);',
    'truncate sessions;',
    'lock table users in share mode;',
  ])('fires on any statement that locks an existing table: %s', async (statement) => {
    expect(await hits(statement)).toEqual([{ rule: 'missing-timeout', line: 1 }]);
  });

  it('blames SET LOCAL only when a timeout was set that way', async () => {
    const sql = "-- tenantry:no-transaction\nset local search_path = app;\ncreate index concurrently users_email_idx on users (email);";
    const findings = await lintSql(sql, 'case.sql');
    expect(findings.map(({ rule, line }) => ({ rule, line }))).toEqual([{ rule: 'missing-timeout', line: 3 }]);
    expect(findings[0]?.message).not.toMatch(/SET LOCAL/);
  });

  it('stays quiet when SET or SET LOCAL comes first, and when the migration only creates tables', async () => {
    expect(await hits(`${TIMEOUTS}alter table users add column tier text;`)).toEqual([]);
    expect(await hits("set lock_timeout to '5s';\nset statement_timeout to 60000;\nalter table users add column tier text;")).toEqual([]);
    expect(await hits('create table scratch (id int primary key);\ncreate index scratch_id_idx on scratch (id);')).toEqual([]);
  });
});

describe('ignore-without-reason', () => {
  it('fires on an ignore without a reason, which then silences nothing', async () => {
    const sql = `${TIMEOUTS}-- tenantry-lint-ignore drop-column\nalter table users drop column nickname;`;
    expect(await hits(sql)).toEqual([
      { rule: 'ignore-without-reason', line: 3 },
      { rule: 'drop-column', line: 4 },
    ]);
    expect(await hits(`${TIMEOUTS}-- tenantry-lint-ignore drop-column:   \nalter table users drop column nickname;`)).toEqual([
      { rule: 'ignore-without-reason', line: 3 },
      { rule: 'drop-column', line: 4 },
    ]);
  });

  it('fires on an ignore that names no rule', async () => {
    const findings = await lintSql(`-- tenantry-lint-ignore: we know\n${TIMEOUTS}`, 'case.sql');
    expect(findings.map(({ rule, line }) => ({ rule, line }))).toEqual([{ rule: 'ignore-without-reason', line: 1 }]);
    expect(findings[0]?.message).toMatch(/names no rule/);
  });

  it('stays quiet on an ignore that gives its reason', async () => {
    expect(await hits(`${TIMEOUTS}-- tenantry-lint-ignore drop-column: unused since 0.4\nalter table users drop column nickname;`)).toEqual([]);
  });
});

describe('syntax-error', () => {
  it('fires on a statement PostgreSQL cannot parse, at its line', async () => {
    expect(await hits(`${TIMEOUTS}\nalter tabel users add column tier text;`)).toEqual([{ rule: 'syntax-error', line: 4 }]);
  });

  it('stays quiet on function bodies, dollar quotes and a comment holding risky words', async () => {
    const sql = [
      '-- alter table users drop column name;',
      "create function app.noop() returns void language plpgsql as $body$ begin execute 'drop table users'; end $body$;",
    ].join('\n');
    expect(await hits(sql)).toEqual([]);
  });
});

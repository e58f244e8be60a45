/**
 * The migration lint rules: statements that lock or break a live database, following the
 * expand/contract strategy (add the new shape, move code over, only then remove the old one).
 *
 * The rules read the syntax tree from libpg-query, PostgreSQL's own parser compiled to WASM:
 * it needs no native build, runs on Node 20 and follows each PostgreSQL release. Regexes over
 * statement text would trip over `not null` inside a CHECK, `rename` inside a function body,
 * or an ALTER TABLE that does several things at once.
 */
import type { AlterTableCmd, ColumnDef, Constraint, Node, RangeVar } from 'libpg-query';
import type { SourceStatement } from './sql-source.js';

/** Every rule name, with the one line `tenantry db lint --help` shows for it. */
export const RULES = {
  'not-null-column-without-default': 'ADD COLUMN … NOT NULL without a DEFAULT on an existing table',
  'index-without-concurrently': 'CREATE INDEX without CONCURRENTLY on an existing table',
  'concurrently-in-transaction': 'CONCURRENTLY in a migration without the `-- tenantry:no-transaction` mark',
  'rename-column': 'renaming a column of an existing table',
  'rename-table': 'renaming an existing table',
  'drop-column': 'dropping a column of an existing table',
  'drop-table': 'dropping an existing table',
  'change-column-type': 'changing the type of a column of an existing table',
  'constraint-without-not-valid': 'adding a constraint to an existing table without NOT VALID',
  'missing-timeout': 'touching an existing table before `set lock_timeout` and `set statement_timeout`',
  'ignore-without-reason': 'a `-- tenantry-lint-ignore` comment that gives no reason',
  'syntax-error': 'a statement PostgreSQL cannot parse',
} as const;

export type RuleName = keyof typeof RULES;

export type Violation = { rule: RuleName; line: number; message: string };

const TIMEOUTS = ['lock_timeout', 'statement_timeout'] as const;

/**
 * Checks one migration script statement by statement. Tables created earlier in the same
 * script are new: nobody reads them yet, so locking or reshaping them is harmless.
 */
export function checkScript(statements: readonly SourceStatement[], options: { transactional: boolean }): Violation[] {
  const created = new Set<string>();
  const timeoutsInForce = new Set<string>();
  let localTimeoutWasted = false;
  let timeoutReported = false;
  let concurrentlyReported = false;
  const violations: Violation[] = [];

  for (const { node, line } of statements) {
    const isExisting = (table: string) => !created.has(table);
    for (const { rule, message } of statementViolations(node, isExisting)) violations.push({ rule, line, message });

    const existing = touchedTables(node).filter(isExisting);
    const missing = TIMEOUTS.filter((name) => !timeoutsInForce.has(name));
    if (existing.length > 0 && missing.length > 0 && !timeoutReported) {
      timeoutReported = true;
      violations.push({ rule: 'missing-timeout', line, message: missingTimeoutMessage(existing, missing, options.transactional, localTimeoutWasted) });
    }

    if (options.transactional && usesConcurrently(node) && !concurrentlyReported) {
      concurrentlyReported = true;
      violations.push({
        rule: 'concurrently-in-transaction',
        line,
        message: 'CONCURRENTLY cannot run inside a transaction block; put it in its own migration that starts with `-- tenantry:no-transaction`',
      });
    }

    if ('VariableSetStmt' in node) {
      const { name, kind, is_local: isLocal } = node.VariableSetStmt;
      if (kind === 'VAR_RESET_ALL') {
        timeoutsInForce.clear();
      } else if (name && isTimeout(name) && kind === 'VAR_SET_VALUE') {
        // Without a transaction each statement is its own, so SET LOCAL ends with the SET itself.
        if (isLocal && !options.transactional) localTimeoutWasted = true;
        else timeoutsInForce.add(name);
      } else if (name && isTimeout(name)) {
        timeoutsInForce.delete(name);
      }
    }
    for (const table of createdTables(node, created)) created.add(table);
  }
  return violations;
}

type RuleHit = { rule: RuleName; message: string };

function statementViolations(node: Node, isExisting: (table: string) => boolean): RuleHit[] {
  if ('AlterTableStmt' in node) {
    const { relation, cmds = [], objtype } = node.AlterTableStmt;
    const table = tableName(relation);
    if (objtype !== 'OBJECT_TABLE' || !table || !isExisting(table)) return [];
    return cmds.flatMap((cmd) => ('AlterTableCmd' in cmd ? alterTableViolations(table, cmd.AlterTableCmd) : []));
  }
  if ('IndexStmt' in node) {
    const { relation, concurrent, idxname } = node.IndexStmt;
    const table = tableName(relation);
    if (concurrent || !table || !isExisting(table)) return [];
    return [{
      rule: 'index-without-concurrently',
      message: `index ${idxname ?? '(unnamed)'} on existing table ${table} blocks writes to it while it builds; use CREATE INDEX CONCURRENTLY in a no-transaction migration`,
    }];
  }
  if ('RenameStmt' in node) {
    const { renameType, relationType, relation, subname, newname } = node.RenameStmt;
    const table = tableName(relation);
    if (!table || !isExisting(table)) return [];
    if (renameType === 'OBJECT_TABLE') {
      return [{
        rule: 'rename-table',
        message: `renaming ${table} to ${newname ?? '?'} breaks every running query that names it; create the new table (or a view), move code over, then drop the old one`,
      }];
    }
    if (renameType === 'OBJECT_COLUMN' && relationType === 'OBJECT_TABLE') {
      return [{
        rule: 'rename-column',
        message: `renaming ${table}.${subname ?? '?'} to ${newname ?? '?'} breaks the code still running; add the new column, write both, backfill, switch reads, then drop the old one`,
      }];
    }
    return [];
  }
  if ('DropStmt' in node && node.DropStmt.removeType === 'OBJECT_TABLE') {
    const tables = (node.DropStmt.objects ?? []).map(qualifiedNameTail).filter((t): t is string => !!t && isExisting(t));
    if (tables.length === 0) return [];
    return [{
      rule: 'drop-table',
      message: `drops existing table ${tables.join(', ')}: only safe once no deployed code reads it; say so in a tenantry-lint-ignore comment`,
    }];
  }
  return [];
}

function alterTableViolations(table: string, cmd: AlterTableCmd): RuleHit[] {
  const { subtype, def, name } = cmd;
  if (subtype === 'AT_AddColumn' && def && 'ColumnDef' in def) {
    const column = def.ColumnDef;
    if (!isNotNull(column) || hasDefault(column)) return [];
    return [{
      rule: 'not-null-column-without-default',
      message: `new column ${table}.${column.colname ?? '?'} is NOT NULL without a DEFAULT, so the ALTER fails on existing rows; add it nullable or with a constant default, backfill, then add a NOT VALID check and validate it`,
    }];
  }
  if (subtype === 'AT_DropColumn') {
    return [{
      rule: 'drop-column',
      message: `drops ${table}.${name ?? '?'}: only safe once no deployed code reads it; say so in a tenantry-lint-ignore comment`,
    }];
  }
  if (subtype === 'AT_AlterColumnType') {
    return [{
      rule: 'change-column-type',
      message: `changing the type of ${table}.${name ?? '?'} can rewrite the table under an ACCESS EXCLUSIVE lock and breaks readers of the old type; add a new column, backfill, switch code, then drop the old one`,
    }];
  }
  if (subtype === 'AT_AddConstraint' && def && 'Constraint' in def) {
    const message = unvalidatedConstraintAdvice(table, def.Constraint);
    return message ? [{ rule: 'constraint-without-not-valid', message }] : [];
  }
  return [];
}

/** Why adding this constraint scans the table under lock, or undefined when it does not. */
function unvalidatedConstraintAdvice(table: string, constraint: Constraint): string | undefined {
  const label = constraint.conname ?? constraintKind(constraint);
  switch (constraint.contype) {
    case 'CONSTR_CHECK':
    case 'CONSTR_FOREIGN':
    case 'CONSTR_NOTNULL':
      return constraint.skip_validation
        ? undefined
        : `${label} on existing table ${table} checks every row while holding its lock; add it NOT VALID, then VALIDATE CONSTRAINT in a separate statement`;
    case 'CONSTR_PRIMARY':
    case 'CONSTR_UNIQUE':
      return constraint.indexname
        ? undefined
        : `${label} on existing table ${table} builds its index while blocking writes; CREATE UNIQUE INDEX CONCURRENTLY first, then ADD CONSTRAINT … USING INDEX`;
    case 'CONSTR_EXCLUSION':
      return `${label} on existing table ${table} builds its index while blocking writes and cannot be added NOT VALID`;
    default:
      return undefined;
  }
}

function constraintKind({ contype }: Constraint): string {
  const kinds: Partial<Record<NonNullable<Constraint['contype']>, string>> = {
    CONSTR_CHECK: 'check constraint',
    CONSTR_FOREIGN: 'foreign key',
    CONSTR_NOTNULL: 'not-null constraint',
    CONSTR_PRIMARY: 'primary key',
    CONSTR_UNIQUE: 'unique constraint',
    CONSTR_EXCLUSION: 'exclusion constraint',
  };
  return (contype && kinds[contype]) ?? 'constraint';
}

function isNotNull(column: ColumnDef): boolean {
  return !!column.is_not_null || constraintsOf(column).some((c) => c.contype === 'CONSTR_NOTNULL' || c.contype === 'CONSTR_PRIMARY');
}

/** A default, an identity or a generated expression all give existing rows a value. */
function hasDefault(column: ColumnDef): boolean {
  const typeName = column.typeName?.names?.map(stringValue).at(-1) ?? '';
  return (
    ['smallserial', 'serial', 'bigserial', 'serial2', 'serial4', 'serial8'].includes(typeName) ||
    constraintsOf(column).some((c) => c.contype === 'CONSTR_DEFAULT' || c.contype === 'CONSTR_IDENTITY' || c.contype === 'CONSTR_GENERATED')
  );
}

function constraintsOf(column: ColumnDef): Constraint[] {
  return (column.constraints ?? []).flatMap((c) => ('Constraint' in c ? [c.Constraint] : []));
}

function usesConcurrently(node: Node): boolean {
  if ('IndexStmt' in node) return !!node.IndexStmt.concurrent;
  if ('DropStmt' in node) return !!node.DropStmt.concurrent;
  if ('ReindexStmt' in node) {
    return (node.ReindexStmt.params ?? []).some((param) => 'DefElem' in param && param.DefElem.defname === 'concurrently');
  }
  return false;
}

/** The tables a statement locks or changes; the timeout rule cares about the existing ones. */
function touchedTables(node: Node): string[] {
  const names: (string | undefined)[] = [];
  if ('AlterTableStmt' in node && node.AlterTableStmt.objtype === 'OBJECT_TABLE') names.push(tableName(node.AlterTableStmt.relation));
  else if ('IndexStmt' in node) names.push(tableName(node.IndexStmt.relation));
  else if ('RenameStmt' in node && node.RenameStmt.relation) names.push(tableName(node.RenameStmt.relation));
  else if ('DropStmt' in node && node.DropStmt.removeType === 'OBJECT_TABLE') names.push(...(node.DropStmt.objects ?? []).map(qualifiedNameTail));
  else if ('CreateTrigStmt' in node) names.push(tableName(node.CreateTrigStmt.relation));
  else if ('CreatePolicyStmt' in node) names.push(tableName(node.CreatePolicyStmt.table));
  else if ('AlterPolicyStmt' in node) names.push(tableName(node.AlterPolicyStmt.table));
  else if ('UpdateStmt' in node) names.push(tableName(node.UpdateStmt.relation));
  else if ('DeleteStmt' in node) names.push(tableName(node.DeleteStmt.relation));
  else if ('TruncateStmt' in node) names.push(...rangeVars(node.TruncateStmt.relations).map(tableName));
  else if ('LockStmt' in node) names.push(...rangeVars(node.LockStmt.relations).map(tableName));
  return [...new Set(names.filter((name): name is string => !!name))];
}

function createdTables(node: Node, created: ReadonlySet<string>): string[] {
  if ('CreateStmt' in node) return [tableName(node.CreateStmt.relation)].filter((t): t is string => !!t);
  if ('CreateTableAsStmt' in node) return [tableName(node.CreateTableAsStmt.into?.rel)].filter((t): t is string => !!t);
  if ('RenameStmt' in node && node.RenameStmt.renameType === 'OBJECT_TABLE') {
    const { relation, newname } = node.RenameStmt;
    const table = tableName(relation);
    return table && newname && created.has(table) ? [newname] : [];
  }
  return [];
}

function missingTimeoutMessage(tables: string[], missing: readonly string[], transactional: boolean, localWasted: boolean): string {
  const set = transactional ? 'set local' : 'set';
  const advice = missing.map((name) => `\`${set} ${name} = '…'\``).join(' and ');
  const note = localWasted ? ' (SET LOCAL ends with its own statement in a no-transaction migration)' : '';
  return `touches existing table ${tables.join(', ')} before setting ${missing.join(' and ')}: a lock queued behind a long transaction stalls every query on the table; start with ${advice}${note}`;
}

function isTimeout(name: string): name is (typeof TIMEOUTS)[number] {
  return (TIMEOUTS as readonly string[]).includes(name);
}

/** Tables are matched by bare name: a migration rarely names the same table two ways. */
function tableName(relation: RangeVar | undefined): string | undefined {
  return relation?.relname;
}

function rangeVars(nodes: Node[] | undefined): RangeVar[] {
  return (nodes ?? []).flatMap((n) => ('RangeVar' in n ? [n.RangeVar] : []));
}

/** `DROP TABLE app.x` names the table as a list of strings; the last one is the table. */
function qualifiedNameTail(node: Node): string | undefined {
  return 'List' in node ? (node.List.items ?? []).map(stringValue).at(-1) : undefined;
}

function stringValue(node: Node): string | undefined {
  return 'String' in node ? node.String.sval : undefined;
}

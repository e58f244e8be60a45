import type { SqlSession } from '../db/connection.js';
import { APP_SCHEMAS, type Catalog, type TenantTable, displayName } from './catalog.js';
import type { RuleLog } from './findings.js';

/** pg_policy.polcmd codes; `*` (ALL) covers every command. */
const COMMANDS = { r: 'SELECT', a: 'INSERT', w: 'UPDATE', d: 'DELETE', '*': 'ALL' } as const;
type CommandCode = keyof typeof COMMANDS;

type PolicyRow = {
  schema: string;
  name: string;
  policy: string;
  command: string;
  permissive: boolean;
  using: string | null;
  withCheck: string | null;
};

const POLICIES_SQL = `
  select n.nspname::text as schema, c.relname::text as name, p.polname::text as policy,
         p.polcmd::text as command, p.polpermissive as permissive,
         pg_get_expr(p.polqual, p.polrelid) as using,
         pg_get_expr(p.polwithcheck, p.polrelid) as "withCheck"
    from pg_policy p
    join pg_class c on c.oid = p.polrelid
    join pg_namespace n on n.oid = c.relnamespace
   where n.nspname = any($1)
   order by n.nspname, c.relname, p.polname`;

/** rls-enabled, rls-forced, policy-missing, policy-unsafe: one policy query for every table. */
export async function checkRowLevelSecurity(session: SqlSession, catalog: Catalog, log: RuleLog): Promise<void> {
  for (const table of catalog.tables) {
    const name = displayName(table);
    log.checked('rls-enabled');
    if (!table.rowSecurity) log.fail('rls-enabled', name, 'row level security is disabled');
    log.checked('rls-forced');
    if (!table.forceRowSecurity) {
      log.fail('rls-forced', name, 'row level security is not forced, so the table owner passes it');
    }
  }

  const policies = await session.query<PolicyRow>(POLICIES_SQL, [APP_SCHEMAS]);
  for (const table of catalog.tables) {
    const own = policies.filter((p) => p.schema === table.schema && p.name === table.name);
    checkCoverage(table, own, log);
    for (const policy of own) checkPolicy(table, policy, log);
  }
}

function checkCoverage(table: TenantTable, policies: PolicyRow[], log: RuleLog): void {
  // A restrictive policy only narrows what a permissive one grants; alone it grants nothing.
  const granted = new Set(policies.filter((p) => p.permissive).map((p) => p.command));
  for (const code of ['r', 'a', 'w', 'd'] as const) {
    log.checked('policy-missing');
    if (!granted.has(code) && !granted.has('*')) {
      log.fail('policy-missing', displayName(table), `no permissive policy covers ${COMMANDS[code]}`);
    }
  }
}

function checkPolicy(table: TenantTable, policy: PolicyRow, log: RuleLog): void {
  if (!policy.permissive) return;
  log.checked('policy-unsafe');
  const command = commandName(policy.command);
  const clauses = [
    ['USING', policy.using],
    ['WITH CHECK', policy.withCheck],
  ] as const;
  for (const [clause, expression] of clauses) {
    if (expression === null) continue;
    const where = `policy ${policy.policy} (${command}) ${clause}`;
    const fail = (problem: string) => log.fail('policy-unsafe', displayName(table), `${where} ${problem}`);
    if (isLiteralTrue(expression)) {
      fail('is always true');
    } else if (!readsTenantContext(expression)) {
      fail(`does not read the tenant context (app.current_organization_id() or app.current_user_id()): ${expression}`);
    }
    // Public rows (organization_id IS NULL) may be read by everyone, never written through the app.
    if (policy.command !== 'r' && /\borganization_id IS NULL\b/i.test(expression)) {
      fail('lets rows with organization_id IS NULL through; only SELECT on a shared table may');
    }
  }
}

function isLiteralTrue(expression: string): boolean {
  return expression.replace(/[\s()]/g, '').toLowerCase() === 'true';
}

/** The context functions, or their bodies as policies spell them out (migration 0041). */
function readsTenantContext(expression: string): boolean {
  return /\b(current_organization_id|current_user_id)\b|current_setting\('app\.(organization_id|user_id)'/.test(expression);
}

function commandName(code: string): string {
  return isCommandCode(code) ? COMMANDS[code] : code;
}

function isCommandCode(code: string): code is CommandCode {
  return Object.hasOwn(COMMANDS, code);
}

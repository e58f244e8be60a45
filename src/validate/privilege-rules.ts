import type { SqlSession } from '../db/connection.js';
import { ROLES } from '../db/roles.js';
import { APP_SCHEMAS, displayName, notExtensionMember } from './catalog.js';
import type { RuleLog } from './findings.js';

/**
 * Views run with their owner's rights unless security_invoker is set, so they would read
 * past RLS. A materialized view has no such option: its rows are a copy made by the owner.
 */
const VIEWS_SQL = `
  select n.nspname::text as schema, c.relname::text as name, c.relkind::text as kind,
         coalesce(c.reloptions, '{}')::text[] as options,
         coalesce(has_table_privilege(to_regrole($2), c.oid, 'SELECT'), false) as "appCanSelect"
    from pg_class c
    join pg_namespace n on n.oid = c.relnamespace
   where c.relkind in ('v', 'm') and n.nspname = any($1)
     and ${notExtensionMember('pg_class', 'c.oid')}
   order by n.nspname, c.relname`;

/** A definer function without a fixed search_path runs whatever a caller's path resolves to. */
const DEFINER_FUNCTIONS_SQL = `
  select format('%I.%I(%s)', n.nspname, p.proname, pg_get_function_identity_arguments(p.oid)) as signature,
         exists (select from unnest(coalesce(p.proconfig, '{}')) as setting
                  where setting like 'search_path=%') as "hasSearchPath"
    from pg_proc p
    join pg_namespace n on n.oid = p.pronamespace
   where p.prosecdef and n.nspname = any($1)
     and ${notExtensionMember('pg_proc', 'p.oid')}
   order by 1`;

const APP_ROLE_SQL = `select rolsuper as superuser, rolbypassrls as "bypassRls" from pg_roles where rolname = $1`;

/** What tenantry_app owns in this database. An owner may disable RLS, drop policies, grant. */
const APP_OWNS_SQL = `
  select 'relation' as kind, n.nspname::text as schema, c.relname::text as name
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
   where c.relowner = to_regrole($1)
  union all
  select 'function', n.nspname, format('%s(%s)', p.proname, pg_get_function_identity_arguments(p.oid))
    from pg_proc p join pg_namespace n on n.oid = p.pronamespace
   where p.proowner = to_regrole($1)
  union all
  select 'schema', null, n.nspname::text from pg_namespace n where n.nspowner = to_regrole($1)
  union all
  select 'type', n.nspname, t.typname::text
    from pg_type t join pg_namespace n on n.oid = t.typnamespace
   where t.typowner = to_regrole($1) and t.typrelid = 0 and t.typcategory <> 'A'`;

/** Roles tenantry_app inherits or may SET ROLE to that would lift it past RLS. */
const APP_ESCALATIONS_SQL = `
  select r.rolname::text as role, r.rolsuper as superuser, r.rolbypassrls as "bypassRls"
    from pg_roles r
   where r.rolname <> $1 and to_regrole($1) is not null
     and pg_has_role(to_regrole($1), r.oid, 'MEMBER')
     and (r.rolsuper or r.rolbypassrls
          or exists (select from pg_class c join pg_namespace n on n.oid = c.relnamespace
                      where c.relowner = r.oid and n.nspname = any($2)))`;

const SECURITY_INVOKER_ON = /^security_invoker=(t|tr|tru|true|y|ye|yes|on|1)$/i;

/** view-invoker, definer-search-path and app-role. */
export async function checkPrivileges(session: SqlSession, log: RuleLog): Promise<void> {
  await checkViews(session, log);
  await checkDefinerFunctions(session, log);
  await checkAppRole(session, log);
}

async function checkViews(session: SqlSession, log: RuleLog): Promise<void> {
  const views = await session.query<{ schema: string; name: string; kind: string; options: string[]; appCanSelect: boolean }>(
    VIEWS_SQL,
    [APP_SCHEMAS, ROLES.app],
  );
  for (const view of views) {
    log.checked('view-invoker');
    if (view.kind === 'm') {
      if (view.appCanSelect) {
        log.fail('view-invoker', displayName(view), `materialized view is readable by ${ROLES.app} and RLS never applies to it`);
      }
    } else if (!view.options.some((option) => SECURITY_INVOKER_ON.test(option))) {
      log.fail('view-invoker', displayName(view), 'view lacks security_invoker = true, so it reads with its owner\'s rights');
    }
  }
}

async function checkDefinerFunctions(session: SqlSession, log: RuleLog): Promise<void> {
  const functions = await session.query<{ signature: string; hasSearchPath: boolean }>(DEFINER_FUNCTIONS_SQL, [
    APP_SCHEMAS,
  ]);
  for (const fn of functions) {
    log.checked('definer-search-path');
    if (!fn.hasSearchPath) {
      log.fail('definer-search-path', fn.signature, 'security definer function has no fixed search_path (add SET search_path)');
    }
  }
}

async function checkAppRole(session: SqlSession, log: RuleLog): Promise<void> {
  log.checked('app-role');
  const [role] = await session.query<{ superuser: boolean; bypassRls: boolean }>(APP_ROLE_SQL, [ROLES.app]);
  if (!role) {
    log.fail('app-role', null, `role ${ROLES.app} does not exist (run: tenantry db migrate)`);
    return;
  }
  if (role.superuser) log.fail('app-role', null, `${ROLES.app} is a superuser, so RLS never applies to it`);
  if (role.bypassRls) log.fail('app-role', null, `${ROLES.app} has BYPASSRLS`);

  log.checked('app-role');
  const owned = await session.query<{ kind: string; schema: string | null; name: string }>(APP_OWNS_SQL, [ROLES.app]);
  for (const object of owned) {
    const name = object.schema === null ? object.name : displayName({ schema: object.schema, name: object.name });
    log.fail('app-role', name, `${ROLES.app} owns this ${object.kind}; it must own nothing`);
  }

  log.checked('app-role');
  const escalations = await session.query<{ role: string; superuser: boolean; bypassRls: boolean }>(
    APP_ESCALATIONS_SQL,
    [ROLES.app, APP_SCHEMAS],
  );
  for (const escalation of escalations) {
    const why = escalation.superuser ? 'is a superuser' : escalation.bypassRls ? 'has BYPASSRLS' : 'owns tables';
    log.fail('app-role', null, `${ROLES.app} is a member of ${escalation.role}, which ${why}`);
  }
}

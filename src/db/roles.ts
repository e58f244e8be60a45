import { TenantryError, sqlState } from '../errors.js';
import type { SqlSession } from './connection.js';

/** The three roles of DESIGN.md; names are fixed because policies and grants name them. */
export const ROLES = {
  owner: 'tenantry_owner',
  app: 'tenantry_app',
  platform: 'tenantry_platform',
} as const;

const ROLE_OPTIONS: Record<string, string> = {
  [ROLES.owner]: 'NOLOGIN NOSUPERUSER NOBYPASSRLS',
  [ROLES.app]: 'NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE',
  [ROLES.platform]: 'NOLOGIN NOSUPERUSER BYPASSRLS NOCREATEDB NOCREATEROLE',
};

type Privileges = { superuser: boolean; createRole: boolean; user: string; database: string };

/**
 * Creates the roles that are missing and lets the connecting user act as each of them.
 * Roles are cluster-wide, so two databases being set up at once may race: a lost race is
 * the same as finding the role already there.
 */
export async function ensureRoles(session: SqlSession): Promise<void> {
  const [me] = await session.query<Privileges>(
    `select rolsuper as superuser, rolcreaterole as "createRole", current_user as user,
            current_database() as database
       from pg_roles where rolname = current_user`,
  );
  if (!me) throw new TenantryError('database_permission', 'cannot read the connecting role from pg_roles');

  const existing = await session.query<{ rolname: string }>(
    'select rolname from pg_roles where rolname = any($1)',
    [Object.values(ROLES)],
  );
  const missing = Object.values(ROLES).filter((role) => !existing.some((r) => r.rolname === role));
  if (missing.length > 0 && !me.superuser && !me.createRole) {
    throw new TenantryError(
      'database_permission',
      `the connecting user "${me.user}" may not create roles; ask a superuser to run: ` +
        missing.map((role) => `CREATE ROLE ${role} ${ROLE_OPTIONS[role]};`).join(' '),
    );
  }
  for (const role of missing) {
    try {
      await session.query(`create role ${quoteIdent(role)} ${ROLE_OPTIONS[role]}`);
    } catch (error) {
      if (sqlState(error) !== '42710' && sqlState(error) !== '23505') throw error;
    }
  }

  await prepareRolesForCitus(session);

  if (!me.superuser) {
    // A non-superuser needs membership to SET ROLE; granting it needs CREATEROLE or ADMIN.
    for (const role of Object.values(ROLES)) {
      await session
        .query(`grant ${quoteIdent(role)} to ${quoteIdent(me.user)}`)
        .catch((error: unknown) => {
          throw new TenantryError(
            'database_permission',
            `the connecting user "${me.user}" cannot act as ${role}: ${errorMessage(error)}`,
          );
        });
    }
  }
  // Migrations run as the owner, and one of them hands a reviewed SECURITY DEFINER function to
  // the platform role (migrations/0008: full-text search, which under RLS cannot use its GIN
  // index). Handing an object to a role takes membership in it. The owner gains nothing it
  // lacked: it could already switch RLS off on its own tables.
  const [owner] = await session.query<{ member: boolean }>(`select pg_has_role($1, $2, 'MEMBER') as member`, [ROLES.owner, ROLES.platform]);
  if (!owner?.member) await session.query(`grant ${ROLES.platform} to ${ROLES.owner}`);

  // The owner creates the app schema and the tables in public (PostgreSQL 15 no longer lets
  // everyone). Granting needs the database's owner; skip what is already in place.
  const [granted] = await session.query<{ ready: boolean }>(
    `select has_database_privilege($1, current_database(), 'CREATE')
        and has_schema_privilege($1, 'public', 'CREATE') as ready`,
    [ROLES.owner],
  );
  if (granted?.ready) return;
  try {
    await session.query(`grant create, connect on database ${quoteIdent(me.database)} to ${ROLES.owner}`);
    await session.query(`grant connect on database ${quoteIdent(me.database)} to ${ROLES.app}, ${ROLES.platform}`);
    await session.query(`grant usage, create on schema public to ${ROLES.owner}`);
    await session.query(`grant usage on schema public to ${ROLES.app}, ${ROLES.platform}`);
  } catch (error) {
    throw new TenantryError(
      'database_permission',
      `the connecting user "${me.user}" cannot grant ${ROLES.owner} CREATE on database ${me.database} and schema public ` +
        `(${errorMessage(error)}); connect as the database owner or a superuser for the first migration`,
    );
  }
}

/**
 * What Citus needs of the roles, on a database with the citus extension (elsewhere nothing):
 * - LOGIN: Citus runs a distributed statement on the workers over connections of its own, as
 *   the role that issued it (`tenantry_owner` for migrations, `tenantry_app` for requests).
 *   Elsewhere the roles stay NOLOGIN: nobody connects as them, the server and the migrator
 *   switch to them. The workers' pg_hba.conf (or pg_dist_authinfo) decides how the
 *   coordinator authenticates as them; Citus propagates ALTER ROLE to the workers itself.
 * - Known to Citus as distributed objects. A role created before `create extension citus` is
 *   not, and the first object it owns makes Citus copy the role to the workers *as that role*,
 *   which may not set its own attributes ("must be superuser to alter superuser roles"). A
 *   function owned by the role, created here by the connecting superuser and dropped at once,
 *   makes Citus copy and record the role while a superuser acts.
 */
export async function prepareRolesForCitus(session: SqlSession): Promise<void> {
  const [citus] = await session.query("select 1 from pg_extension where extname = 'citus'");
  if (!citus) return;
  const rows = await session.query<{ rolname: string; login: boolean; recorded: boolean }>(
    `select r.rolname::text, r.rolcanlogin as login,
            exists (select from pg_catalog.pg_dist_object o
                     where o.classid = 'pg_catalog.pg_authid'::regclass and o.objid = r.oid) as recorded
       from pg_roles r where r.rolname = any($1)`,
    [Object.values(ROLES)],
  );
  for (const role of rows) {
    if (!role.login) await session.query(`alter role ${quoteIdent(role.rolname)} login`);
    if (role.recorded) continue;
    const probe = `public.${quoteIdent(`tenantry_register_${role.rolname}`)}()`;
    await session.query(`create or replace function ${probe} returns void language sql as 'select'`);
    await session.query(`alter function ${probe} owner to ${quoteIdent(role.rolname)}`);
    await session.query(`drop function ${probe}`);
  }
}

/** Double-quotes an identifier the way PostgreSQL's quote_ident does. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

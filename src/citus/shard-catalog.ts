import type { SqlSession } from '../db/connection.js';
import { APP_SCHEMAS, notExtensionMember } from '../validate/catalog.js';

/** A policy on one of our tables, and whether its expressions hold a subquery (a SubLink node). */
export type CitusPolicy = { table: string; name: string; hasSubquery: boolean };

/**
 * A function a shard may call: a trigger function of one of our tables, a function a policy
 * calls, or a SECURITY DEFINER function (the application calls those inside its queries).
 */
export type ShardFunction = {
  signature: string;
  schema: string;
  language: string;
  /** Its body names one of our tables: on a shard that is a distributed query. */
  readsTables: boolean;
  /** citus.allow_nested_distributed_execution is attached to it. */
  prepared: boolean;
  /** app.prepare_functions_for_citus (migrations 0028, 0030) will attach it: a PL/pgSQL trigger, SECURITY DEFINER or STABLE function of schema app. */
  preparable: boolean;
  /** The function is a trigger function and reads tg_table_name / tg_relname other than through app.logical_table_name. */
  namesShard: boolean;
  why: string;
};

/** What a live Citus cluster says about one of our tables (absent from the map: a plain table). */
export type CitusTableType = { type: 'distributed' | 'reference' | 'local'; column: string | null; colocatedWithRoot: boolean };

export type ShardCatalog = {
  policies: CitusPolicy[];
  functions: ShardFunction[];
  /** Tables with enabled user triggers (their names as format('%I.%I')). */
  triggeredTables: string[];
  /** Null without Citus; otherwise the Citus type of each of our tables that has one, by oid. */
  citusTables: Map<string, CitusTableType> | null;
  /** citus.enable_unsafe_triggers for this database, null without Citus. */
  unsafeTriggers: boolean | null;
};

const POLICIES_SQL = `
  select format('%I.%I', n.nspname, c.relname) as table, p.polname::text as name,
         coalesce(p.polqual::text, '') || coalesce(p.polwithcheck::text, '') like '%{SUBLINK%' as "hasSubquery"
    from pg_policy p
    join pg_class c on c.oid = p.polrelid
    join pg_namespace n on n.oid = c.relnamespace
   where n.nspname = any($1)
   order by 1, 2`;

/** $2: a regular expression matching any of our tables' names as a word. */
const FUNCTIONS_SQL = `
  with candidates as (
    select t.tgfoid as oid, 'the trigger function of ' || string_agg(distinct t.tgrelid::regclass::text, ', ') as why
      from pg_trigger t join pg_class c on c.oid = t.tgrelid
     where not t.tgisinternal and c.relnamespace = any(select oid from pg_namespace where nspname = any($1))
     group by t.tgfoid
    union all
    select d.refobjid, 'called by policy ' || string_agg(distinct p.polname::text, ', ')
      from pg_depend d join pg_policy p on p.oid = d.objid
     where d.classid = 'pg_policy'::regclass and d.refclassid = 'pg_proc'::regclass
     group by d.refobjid
    union all
    select p.oid, 'security definer' from pg_proc p join pg_namespace n on n.oid = p.pronamespace
     where p.prosecdef and n.nspname = any($1) and ${notExtensionMember('pg_proc', 'p.oid')}
  )
  select p.oid::regprocedure::text as signature, n.nspname::text as schema, l.lanname::text as language,
         p.prosrc ~* $2 as "readsTables",
         coalesce('citus.allow_nested_distributed_execution=on' = any(p.proconfig), false) as prepared,
         n.nspname = 'app' and l.lanname = 'plpgsql' and (p.prosecdef or p.prorettype = 'trigger'::regtype or p.provolatile = 's')
           as preparable,
         p.prorettype = 'trigger'::regtype
           and regexp_replace(p.prosrc, 'logical_table_name\\(\\s*tg_(table_name|relname)\\s*\\)', '', 'gi') ~* '\\mtg_(table_name|relname)\\M'
           as "namesShard",
         string_agg(c.why, '; ' order by c.why) as why
    from candidates c
    join pg_proc p on p.oid = c.oid
    join pg_namespace n on n.oid = p.pronamespace
    join pg_language l on l.oid = p.prolang
   where n.nspname = any($1)
   group by p.oid, n.nspname, l.lanname
   order by 1`;

const TRIGGERED_SQL = `
  select distinct format('%I.%I', n.nspname, c.relname) as name
    from pg_trigger t join pg_class c on c.oid = t.tgrelid join pg_namespace n on n.oid = c.relnamespace
   where not t.tgisinternal and t.tgenabled <> 'D' and n.nspname = any($1)
   order by 1`;

const CITUS_TABLES_SQL = `
  select p.logicalrelid::oid::text as oid,
         case when p.partmethod = 'h' then 'distributed' when p.repmodel = 't' then 'reference' else 'local' end as type,
         case when p.partmethod = 'h' then column_to_column_name(p.logicalrelid, p.partkey) end as column,
         p.colocationid = (select r.colocationid from pg_dist_partition r where r.logicalrelid = to_regclass('public.organizations'))
           as "colocatedWithRoot"
    from pg_dist_partition p`;

/** Policies, the functions a shard may run, triggers, and what Citus made of each table, when it is installed. */
export async function loadShardCatalog(session: SqlSession, tableNames: string[]): Promise<ShardCatalog> {
  const policies = await session.query<CitusPolicy>(POLICIES_SQL, [APP_SCHEMAS]);
  const words = tableNames.map((name) => name.replace(/[^a-z0-9_]/gi, '')).filter(Boolean);
  const functions = await session.query<ShardFunction>(FUNCTIONS_SQL, [APP_SCHEMAS, `\\m(${words.join('|') || '$^'})\\M`]);
  const triggeredTables = (await session.query<{ name: string }>(TRIGGERED_SQL, [APP_SCHEMAS])).map((row) => row.name);
  const [citus] = await session.query<{ installed: boolean }>(
    "select exists (select from pg_extension where extname = 'citus') and to_regclass('pg_catalog.pg_dist_partition') is not null as installed",
  );
  if (!citus?.installed) return { policies, functions, triggeredTables, citusTables: null, unsafeTriggers: null };
  const rows = await session.query<CitusTableType & { oid: string }>(CITUS_TABLES_SQL);
  // The server's setting, or the database's (which sessions opened before it was set do not show).
  const [setting] = await session.query<{ on: boolean }>(
    `select coalesce(current_setting('citus.enable_unsafe_triggers', true), 'off') = 'on'
         or exists (select from pg_db_role_setting s join pg_database d on d.oid = s.setdatabase
                     where d.datname = current_database() and s.setrole = 0
                       and 'citus.enable_unsafe_triggers=on' = any(s.setconfig)) as on`,
  );
  return {
    policies,
    functions,
    triggeredTables,
    citusTables: new Map(rows.map(({ oid, ...type }) => [oid, type])),
    unsafeTriggers: setting?.on ?? false,
  };
}

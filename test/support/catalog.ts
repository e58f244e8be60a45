import type { Database } from '../../src/db/connection.js';

/**
 * A comparable description of everything the migrations create in `public` and `app`:
 * columns, constraints, indexes, policies, triggers, functions and RLS flags. Object ids and
 * creation order are left out, so two builds of the same schema compare equal.
 */
export async function describeSchema(db: Database) {
  const lines = async (sql: string) => (await db.query<{ line: string }>(sql)).map((row) => row.line).sort();
  return {
    tables: await lines(`
      select format('%s.%s rls=%s force=%s', n.nspname, c.relname, c.relrowsecurity, c.relforcerowsecurity) as line
        from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where n.nspname in ('public', 'app') and c.relkind in ('r', 'p', 'v', 'm')`),
    columns: await lines(`
      select format('%s.%s %s null=%s default=%s generated=%s', table_name, column_name, data_type,
                    is_nullable, column_default, generation_expression) as line
        from information_schema.columns where table_schema in ('public', 'app')`),
    constraints: await lines(`
      select format('%s %s %s', conrelid::regclass, conname, pg_get_constraintdef(oid)) as line
        from pg_constraint where connamespace in ('public'::regnamespace)`),
    indexes: await lines(`select indexdef as line from pg_indexes where schemaname in ('public', 'app')`),
    policies: await lines(`
      select format('%s %s %s %s roles=%s using=%s check=%s', tablename, policyname, permissive, cmd, roles, qual, with_check) as line
        from pg_policies where schemaname = 'public'`),
    triggers: await lines(`
      select format('%s %s', tgrelid::regclass, pg_get_triggerdef(oid)) as line
        from pg_trigger where not tgisinternal`),
    functions: await lines(`
      select format('%s.%s(%s) definer=%s config=%s', n.nspname, p.proname, pg_get_function_identity_arguments(p.oid),
                    p.prosecdef, p.proconfig) as line
        from pg_proc p join pg_namespace n on n.oid = p.pronamespace where n.nspname in ('public', 'app')`),
    grants: await lines(`
      select format('%s %s %s', table_name, grantee, privilege_type) as line
        from information_schema.role_table_grants
       where table_schema = 'public' and grantee like 'tenantry%'`),
  };
}

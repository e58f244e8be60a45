-- The RLS overhead (issue 13): policies compare the organization as text, so the comparison
-- stays a filter of its own table and never joins the query's equivalence classes.
--
-- `organization_id = (nullif(current_setting('app.organization_id', true), ''))::uuid` is a
-- mergejoinable equality with a constant-like side. Every query also says
-- `organization_id = $1`, so the planner puts both in one equivalence class and derives
-- `context = $1`, which it must check at each table's own security level: a Result node with a
-- one-time filter per table, twice for the nullable side of a left join. One task read (tasks,
-- projects, two members) got five such filters and three Result nodes, all built anew at every
-- execution: the executor's start took 41-42 % of that backend's busy samples under RLS
-- against 31 % for the superuser (perf, 100k-task bench copy). With the text comparison the
-- plan has the superuser's shape and the start took 33 %.
--
-- The text form reads the same rows: the context holds a UUID in its canonical lowercase text
-- (db/tenant-context.ts lowercases it; `uuid::text` prints lowercase), and an unset or empty
-- context matches nothing, as the NULL uuid did. Index use is unaffected: every query names its
-- organization itself, and the policy's side was never what an index scan started from.
set local lock_timeout = '5s';

-- 0041's replacements stay, under a name of their own; the comparison is rewritten on their output.
alter function app.spell_out_context(text) rename to spell_out_context_calls;

create function app.spell_out_context(expression text) returns text
  language sql immutable
  set search_path = pg_catalog
  as $$
    select regexp_replace(regexp_replace(app.spell_out_context_calls(expression),
      -- as spell_out_context_calls writes it
      $r$\(([a-z_]+) = \(nullif\(current_setting\('app\.organization_id', true\), ''\)\)::uuid$r$,
      $r$((\1)::text = current_setting('app.organization_id', true)$r$, 'g'),
      -- as pg_get_expr prints it, in the policies 0041 rewrote
      $r$\(([a-z_]+) = \(NULLIF\(current_setting\('app\.organization_id'::text, true\), ''::text\)\)::uuid$r$,
      $r$((\1)::text = current_setting('app.organization_id', true)$r$, 'g')
  $$;

select app.spell_out_policy_context(t.tbl)
  from (select distinct pol.polrelid::regclass as tbl from pg_policy pol) t;

-- Every comparison was rewritten: one left in the uuid form would keep its table's Result nodes.
do $$
declare
  left_over constant int := (
    select count(*) from pg_policy pol
     where coalesce(pg_get_expr(pol.polqual, pol.polrelid), '') || coalesce(pg_get_expr(pol.polwithcheck, pol.polrelid), '')
           like '%NULLIF(current_setting(''app.organization_id''%');
begin
  if left_over > 0 then
    raise exception '% policies still compare the organization as a uuid', left_over;
  end if;
end
$$;

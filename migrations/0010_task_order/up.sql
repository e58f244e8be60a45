-- Tasks get an order a person sets, and due dates become dates.
--
-- position: a fractional index key (the scheme of the fractional-indexing package: base-62
-- digits, an integer part whose first letter gives its length, then an optional fraction), so a
-- card moved between two others takes a key between theirs and one move writes one row. Keys
-- compare byte-wise, hence COLLATE "C" ('Z' < 'a'). Unique per project among live tasks.
-- Existing tasks are numbered in their task-number order: a0, a1, … az, b00, b01, …
--
-- due_date: a due date is a day (2026-12-24), not an instant; the existing values keep their
-- UTC day.
set local lock_timeout = '5s';
set local statement_timeout = '30min';

-- The key right after `key` that has no fraction: its integer part plus one (the library's
-- generateKeyBetween(key, null)). NULL gives the first key, 'a0'.
create function app.position_key_after(key text) returns text
  language plpgsql immutable
  set search_path = pg_catalog
  as $$
declare
  digits constant text := '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
  head text;
  integer_part text;
  length integer;
  i integer;
  digit integer;
begin
  if key is null then
    return 'a0';
  end if;
  head := substr(key, 1, 1);
  length := case when head between 'a' and 'z' then ascii(head) - ascii('a') + 2
                 when head between 'A' and 'Z' then ascii('Z') - ascii(head) + 2 end;
  if length is null or length > char_length(key) then
    raise exception 'invalid position key: %', key using errcode = '22023';
  end if;
  integer_part := substr(key, 2, length - 1);
  -- Add one to the digits, carrying to the left.
  i := length - 1;
  while i >= 1 loop
    digit := strpos(digits, substr(integer_part, i, 1)) - 1;
    if digit < 61 then
      return head || overlay(integer_part placing substr(digits, digit + 2, 1) from i for 1);
    end if;
    integer_part := overlay(integer_part placing '0' from i for 1);
    i := i - 1;
  end loop;
  -- Every digit carried: the next head, one digit longer above 'a', one shorter below it.
  if head = 'z' then
    raise exception 'position keys of this project are exhausted' using errcode = '22003';
  end if;
  if head = 'Z' then
    return 'a0';
  end if;
  head := chr(ascii(head) + 1);
  return head || case when head > 'a' then integer_part || '0' else substr(integer_part, 2) end;
end
$$;

-- A new task goes to the end of its project unless the caller places it, and a restored one
-- (deleted_at cleared) keeps its old place unless a live task took that key meanwhile, in which
-- case it goes to the end. Same advisory lock as the task number (0003), so concurrent inserts,
-- moves and restores in one project queue instead of taking the same key; the partial unique
-- index below is the last line of defence.
create function app.assign_task_position() returns trigger
  language plpgsql
  set search_path = pg_catalog, public
  as $$
begin
  if tg_op = 'INSERT' and new.position is not null then
    return new;
  end if;
  if tg_op = 'UPDATE' and not (old.deleted_at is not null and new.deleted_at is null) then
    return new;
  end if;
  perform pg_advisory_xact_lock(
    hashtextextended('tasks:' || new.organization_id::text || ':' || new.project_id::text, 0));
  if tg_op = 'UPDATE' and not exists (
       select 1 from tasks t
        where t.organization_id = new.organization_id
          and t.project_id = new.project_id
          and t.position = new.position
          and t.deleted_at is null
          and t.id <> new.id) then
    return new;
  end if;
  select app.position_key_after(max(t.position))
    into new.position
    from tasks t
   where t.organization_id = new.organization_id
     and t.project_id = new.project_id
     and t.deleted_at is null;
  return new;
end
$$;

-- The n-th key (from 0) of a fresh sequence, for the backfill only.
create function app.nth_position_key(n bigint) returns text
  language plpgsql immutable
  set search_path = pg_catalog
  as $$
declare
  digits constant text := '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
  width integer := 1;
  rest bigint := n;
  out text := '';
begin
  while rest >= 62 ^ width loop
    rest := rest - (62 ^ width)::bigint;
    width := width + 1;
  end loop;
  for i in 1 .. width loop
    out := substr(digits, (rest % 62)::integer + 1, 1) || out;
    rest := rest / 62;
  end loop;
  return chr(ascii('a') + width - 1) || out;
end
$$;

-- tenantry-lint-ignore change-column-type: both columns need new values for every row (keys from an ordering, days from instants); the table is rewritten once, under this transaction's lock
alter table tasks
  alter column position drop default,
  alter column position drop not null,
  alter column position type text collate "C" using null,
  alter column due_date type date using (due_date at time zone 'UTC')::date;

-- The backfill is bookkeeping, not anyone's change: it keeps updated_at and writes no audit
-- rows. RLS is forced on tasks, which would hide every row from the owner running this.
alter table tasks disable trigger touch_updated_at;
alter table tasks disable trigger audit_row_change;
alter table tasks no force row level security;
update tasks t
   set position = app.nth_position_key(ordered.n)
  from (select organization_id, id,
               row_number() over (partition by organization_id, project_id order by number) - 1 as n
          from tasks) ordered
 where t.organization_id = ordered.organization_id
   and t.id = ordered.id;
alter table tasks force row level security;
alter table tasks enable trigger audit_row_change;
alter table tasks enable trigger touch_updated_at;
drop function app.nth_position_key(bigint);

alter table tasks alter column position set not null;

-- tenantry-lint-ignore index-without-concurrently: the table was rewritten above under an exclusive lock that this transaction still holds
create unique index tasks_organization_id_project_id_position_key
  on tasks (organization_id, project_id, position) where deleted_at is null;
-- "What changed lately" across the organization: the organization-wide list's default order.
-- tenantry-lint-ignore index-without-concurrently: the table was rewritten above under an exclusive lock that this transaction still holds
create index tasks_organization_id_updated_at_id_idx on tasks (organization_id, updated_at, id);

create trigger assign_task_position before insert or update of deleted_at on tasks
  for each row execute function app.assign_task_position();

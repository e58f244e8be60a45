-- Issue 13, the RLS overhead: a task read shows its assignee's and reporter's name and image.
-- Read from users, every joined row ran the users policy, whose membership test is a SECURITY
-- DEFINER call per row (0014: Citus refuses a subquery in a policy). On the 1M-task benchmark
-- that call was most of the policies' cost on a list of 50 tasks (1.46x the superuser's time;
-- 1.07x with the users policy switched off). Members now carry a copy of both, so task reads
-- join the tenant's own members row, under the members policy's one-time filter, and never
-- touch users.
--
-- The copy is filled from users when a membership is made (the trigger below, for every path:
-- the API, seeds, tenant import) and follows the person's edits through Better Auth's
-- user-update hook (src/auth/auth.ts). Not a trigger on users: on Citus users is a reference
-- table, whose trigger fires on every node's placement, and each would update the same
-- distributed rows from its own connection.
set local lock_timeout = '5s';
set local statement_timeout = '30min';

alter table members add column name text not null default '', add column image text;

update members m set name = u.name, image = u.image
  from users u
 where u.id = m.user_id;

-- SECURITY DEFINER as tenantry_platform: the person being added is not yet a member, so the
-- policy on users hides them from the caller. It reads only that one person's name and image,
-- and it runs on every write of the copy too, so a tenant cannot give a member another name:
-- the copy is always what users holds (the hook's update sets the same values).
create function app.copy_member_person() returns trigger
  language plpgsql security definer
  set search_path = pg_catalog
  as $$
begin
  select u.name, u.image into new.name, new.image from public.users u where u.id = new.user_id;
  return new;
end
$$;

grant create on schema app to tenantry_platform;
alter function app.copy_member_person() owner to tenantry_platform;
revoke create on schema app from tenantry_platform;
revoke all on function app.copy_member_person() from public;

create trigger copy_member_person before insert or update of user_id, name, image on members
  for each row execute function app.copy_member_person();

select app.prepare_functions_for_citus();

-- The RLS overhead (issue 13): tenantry_app sees the members of the current organization only.
--
-- Since 0002 the select policy also showed a user their own memberships in every
-- organization, for the organization switcher. The switcher has long read through
-- tenantry_platform with its own `user_id = caller` filter (organizations/service.ts), so the
-- second arm served no query, and it cost every read that names an assignee or an author: an
-- OR that the planner cannot fold into the query's own organization filter. It estimated two
-- members of a 76-member organization, so a page of tasks joined its assignees and reporters
-- by nested loops, 21,000 comparisons where the superuser built two small hashes (100k-task
-- bench copy). With the organization alone the policy folds into the query's own filter, as on
-- every other table, and the estimate is the superuser's.
set local lock_timeout = '5s';
set local statement_timeout = '5min';

alter policy members_tenant_select on members
  using (organization_id = app.current_organization_id());
select app.spell_out_policy_context('members');

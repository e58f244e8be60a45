-- Reverses 0044_members_seen_in_their_organization_only: a user sees their own memberships in
-- every organization again.
set local lock_timeout = '5s';
set local statement_timeout = '5min';

alter policy members_tenant_select on members
  using (organization_id = app.current_organization_id() or user_id = app.current_user_id());
select app.spell_out_policy_context('members');

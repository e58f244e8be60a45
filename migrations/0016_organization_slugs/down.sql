-- Reverses 0016_organization_slugs.
set local lock_timeout = '5s';
set local statement_timeout = '30min';

drop index organizations_slug_idx;
-- tenantry-lint-ignore constraint-without-not-valid: one row per organization
alter table organizations add constraint organizations_slug_key unique (slug);
-- tenantry-lint-ignore drop-table: the slugs are unique on organizations again just above
drop table organization_slugs;

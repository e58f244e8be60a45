-- Reverses 0001_foundation. Dropping a table takes its indexes, policies, triggers and
-- grants with it; dropping the schema takes the usage grants on it.

drop table plan_features;
drop table features;
drop table subscription_plans;
drop table user_profiles;
drop table verifications;
drop table sessions;
drop table accounts;
drop table users;

drop function app.enable_tenant_isolation(regclass);
drop function app.audit_row_change();
drop function app.redact_audit_values(jsonb);
drop function app.touch_updated_at();
drop function app.current_request_id();
drop function app.current_user_id();
drop function app.current_organization_id();

drop schema app;

-- Reverses 0035_ai_token_usage_unaudited: the counter is audited again, as
-- app.enable_tenant_isolation set it up.
create trigger audit_row_change after insert or update or delete on ai_token_usage
  for each row execute function app.audit_row_change();

set local lock_timeout = '5s';

-- 0001's function, which leaves the client columns empty.
create or replace function app.audit_row_change() returns trigger
  language plpgsql
  security invoker
  set search_path = pg_catalog, public
  as $$
declare
  old_values jsonb := case when tg_op <> 'INSERT' then to_jsonb(old) end;
  new_values jsonb := case when tg_op <> 'DELETE' then to_jsonb(new) end;
  row_values jsonb := coalesce(new_values, old_values);
  tenant_id uuid := (row_values ->> coalesce(tg_argv[0], 'organization_id'))::uuid;
  changed text[];
begin
  -- Rows without a tenant (public templates) have no trail to belong to.
  if tenant_id is null then
    return null;
  end if;

  if tg_op = 'UPDATE' then
    select array_agg(n.key order by n.key)
      into changed
      from jsonb_each(new_values) as n
     where n.key not in ('updated_at', 'search_vector')
       and n.value is distinct from old_values -> n.key;
    -- A touch that changed nothing but updated_at is not an event.
    if changed is null then
      return null;
    end if;
  end if;

  insert into audit_logs (
    organization_id, actor_user_id, action, resource_type, resource_id,
    changed_fields, old_values, new_values, request_id
  ) values (
    tenant_id, app.current_user_id(), lower(tg_op), tg_table_name, (row_values ->> 'id')::uuid,
    changed, app.redact_audit_values(old_values), app.redact_audit_values(new_values),
    app.current_request_id()
  );
  return null;
end
$$;

drop table sign_in_failures;

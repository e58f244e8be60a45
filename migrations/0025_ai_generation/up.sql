-- AI generation that calls a model (issue 16): OpenAI-compatible providers, a versioned price
-- table per organization, the state of each generation, and a monthly token counter that
-- reservations are taken from in one statement.
set local lock_timeout = '5s';
set local statement_timeout = '30min';

-- Any server that speaks OpenAI's Chat Completions (Ollama, vLLM, LM Studio) at a base URL.
alter table ai_providers drop constraint ai_providers_provider_check;
alter table ai_providers add constraint ai_providers_provider_check
  check (provider in ('openai', 'anthropic', 'openai-compatible', 'ollama', 'azure_openai', 'google', 'other')) not valid;
alter table ai_providers validate constraint ai_providers_provider_check;

-- A generation is written before the call (reserved) and settled after it; the task it served
-- and the price version its cost was computed with stay on the record.
alter table ai_generations drop constraint ai_generations_generation_type_check;
alter table ai_generations add constraint ai_generations_generation_type_check
  check (generation_type in ('prd', 'story', 'analysis', 'prediction', 'chat', 'summary', 'other')) not valid;
alter table ai_generations validate constraint ai_generations_generation_type_check;
alter table ai_generations add column task text;
alter table ai_generations add constraint ai_generations_task_check
  check (task in ('stories', 'document', 'chat', 'sprint-summary')) not valid;
alter table ai_generations validate constraint ai_generations_task_check;
alter table ai_generations add column status text not null default 'succeeded';
alter table ai_generations add constraint ai_generations_status_check
  check (status in ('reserved', 'succeeded', 'failed', 'canceled')) not valid;
alter table ai_generations validate constraint ai_generations_status_check;
alter table ai_generations add column reserved_tokens integer not null default 0;
alter table ai_generations add constraint ai_generations_reserved_tokens_check check (reserved_tokens >= 0) not valid;
alter table ai_generations validate constraint ai_generations_reserved_tokens_check;
alter table ai_generations add column price_version integer;
alter table ai_generations add column error text;

-- Prices per model, in the organization's billing currency per million tokens. A row is never
-- changed: an edit adds the next version, and a generation names the version it used.
create table ai_model_prices (
  organization_id     uuid not null references organizations (id) on delete cascade,
  id                  uuid not null default gen_random_uuid(),
  kind                text not null
                      check (kind in ('openai', 'anthropic', 'openai-compatible', 'ollama', 'azure_openai', 'google', 'other')),
  model               text not null check (length(model) between 1 and 200),
  version             integer not null check (version >= 1),
  input_per_million   numeric(12, 6) not null check (input_per_million >= 0),
  output_per_million  numeric(12, 6) not null check (output_per_million >= 0),
  -- Who set it; no foreign key, so the price history outlives the membership.
  created_by_id       uuid,
  created_at          timestamptz not null default now(),
  updated_at          timestamptz not null default now(),
  primary key (organization_id, id),
  unique (organization_id, kind, model, version)
);
select app.enable_tenant_isolation('ai_model_prices');

-- Tokens used and reserved per organization and calendar month (UTC). A reservation is one
-- insert … on conflict do update whose where clause holds used + reserved within the budget,
-- so concurrent calls queue on the row and never overshoot it together.
create table ai_token_usage (
  organization_id uuid not null references organizations (id) on delete cascade,
  id              uuid not null default gen_random_uuid(),
  month           date not null,
  used_tokens     bigint not null default 0 check (used_tokens >= 0),
  reserved_tokens bigint not null default 0 check (reserved_tokens >= 0),
  created_at      timestamptz not null default now(),
  updated_at      timestamptz not null default now(),
  primary key (organization_id, id),
  unique (organization_id, month)
);
select app.enable_tenant_isolation('ai_token_usage');

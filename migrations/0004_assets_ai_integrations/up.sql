-- Project files, AI usage (conversations, providers, generations), external integrations,
-- and seed 001's gap analysis and predictions.

-- File metadata only; the bytes live in a blob store under storage_key.
create table project_assets (
  organization_id uuid not null references organizations (id) on delete cascade,
  id              uuid not null default gen_random_uuid(),
  project_id      uuid not null,
  uploaded_by_id  uuid,
  file_name       text not null,
  content_type    text not null,
  size_bytes      bigint not null check (size_bytes >= 0),
  checksum_sha256 text not null check (checksum_sha256 ~ '^[0-9a-f]{64}$'),
  storage_key     text not null,
  deleted_at      timestamptz,
  created_at      timestamptz not null default now(),
  updated_at      timestamptz not null default now(),
  primary key (organization_id, id),
  unique (organization_id, storage_key),
  foreign key (organization_id, project_id) references projects (organization_id, id)
    on delete cascade,
  foreign key (organization_id, uploaded_by_id) references members (organization_id, user_id)
    on delete set null (uploaded_by_id)
);
create index project_assets_organization_id_project_id_idx on project_assets (organization_id, project_id);
create index project_assets_organization_id_uploaded_by_id_idx on project_assets (organization_id, uploaded_by_id);

select app.enable_tenant_isolation('project_assets');

-- AI conversation history (seed 002): one row per message.
create table project_prompts (
  organization_id uuid not null references organizations (id) on delete cascade,
  id              uuid not null default gen_random_uuid(),
  project_id      uuid not null,
  conversation_id uuid not null,
  user_id         uuid,
  role            text not null check (role in ('user', 'assistant', 'system')),
  content         text not null,
  provider        text,
  model           text,
  tokens          integer check (tokens >= 0),
  metadata        jsonb not null default '{}'::jsonb,
  created_at      timestamptz not null default now(),
  updated_at      timestamptz not null default now(),
  primary key (organization_id, id),
  foreign key (organization_id, project_id) references projects (organization_id, id)
    on delete cascade,
  foreign key (organization_id, user_id) references members (organization_id, user_id)
    on delete set null (user_id)
);
-- Replaying a conversation in order.
create index project_prompts_conversation_idx
  on project_prompts (organization_id, project_id, conversation_id, created_at);
create index project_prompts_organization_id_user_id_idx on project_prompts (organization_id, user_id);

select app.enable_tenant_isolation('project_prompts');

create table ai_providers (
  organization_id    uuid not null references organizations (id) on delete cascade,
  id                 uuid not null default gen_random_uuid(),
  provider           text not null
                     check (provider in ('openai', 'anthropic', 'ollama', 'azure_openai', 'google', 'other')),
  name               text not null,
  default_model      text,
  base_url           text,
  -- Encrypted with the organization's data key; the hint (e.g. last four characters) is
  -- what the UI shows instead.
  api_key_ciphertext bytea,
  api_key_hint       text,
  is_default         boolean not null default false,
  status             text not null default 'active' check (status in ('active', 'disabled')),
  created_by_id      uuid,
  created_at         timestamptz not null default now(),
  updated_at         timestamptz not null default now(),
  primary key (organization_id, id),
  unique (organization_id, name),
  foreign key (organization_id, created_by_id) references members (organization_id, user_id)
    on delete set null (created_by_id)
);
create unique index ai_providers_one_default_per_organization_idx
  on ai_providers (organization_id) where is_default;
create index ai_providers_organization_id_created_by_id_idx on ai_providers (organization_id, created_by_id);

select app.enable_tenant_isolation('ai_providers');

-- Usage records; they outlive the project, the person and the provider configuration they
-- mention, because cost reporting needs them.
create table ai_generations (
  organization_id   uuid not null references organizations (id) on delete cascade,
  id                uuid not null default gen_random_uuid(),
  project_id        uuid,
  user_id           uuid,
  ai_provider_id    uuid,
  generation_type   text not null
                    check (generation_type in ('prd', 'story', 'analysis', 'prediction', 'other')),
  provider          text not null,
  model             text not null,
  prompt            text,
  response          text,
  prompt_tokens     integer not null default 0 check (prompt_tokens >= 0),
  completion_tokens integer not null default 0 check (completion_tokens >= 0),
  total_tokens      integer not null default 0 check (total_tokens >= 0),
  cost              numeric(12, 6) not null default 0 check (cost >= 0),
  latency_ms        integer check (latency_ms >= 0),
  metadata          jsonb not null default '{}'::jsonb,
  created_at        timestamptz not null default now(),
  updated_at        timestamptz not null default now(),
  primary key (organization_id, id),
  foreign key (organization_id, project_id) references projects (organization_id, id)
    on delete set null (project_id),
  foreign key (organization_id, user_id) references members (organization_id, user_id)
    on delete set null (user_id),
  foreign key (organization_id, ai_provider_id) references ai_providers (organization_id, id)
    on delete set null (ai_provider_id)
);
create index ai_generations_organization_id_created_at_idx on ai_generations (organization_id, created_at);
create index ai_generations_organization_id_project_id_idx on ai_generations (organization_id, project_id);
create index ai_generations_organization_id_user_id_idx on ai_generations (organization_id, user_id);
create index ai_generations_organization_id_ai_provider_id_idx on ai_generations (organization_id, ai_provider_id);

select app.enable_tenant_isolation('ai_generations');

create table integrations (
  organization_id        uuid not null references organizations (id) on delete cascade,
  id                     uuid not null default gen_random_uuid(),
  type                   text not null
                         check (type in ('jira', 'github', 'gitlab', 'slack', 'linear', 'asana', 'trello', 'other')),
  name                   text not null,
  -- Non-secret settings only; secrets go in credentials_ciphertext.
  config                 jsonb not null default '{}'::jsonb,
  credentials_ciphertext bytea,
  status                 text not null default 'pending'
                         check (status in ('pending', 'active', 'error', 'disabled')),
  last_sync_at           timestamptz,
  last_error             text,
  created_by_id          uuid,
  created_at             timestamptz not null default now(),
  updated_at             timestamptz not null default now(),
  primary key (organization_id, id),
  unique (organization_id, type, name),
  foreign key (organization_id, created_by_id) references members (organization_id, user_id)
    on delete set null (created_by_id)
);
create index integrations_organization_id_created_by_id_idx on integrations (organization_id, created_by_id);

select app.enable_tenant_isolation('integrations');

-- Seed 001: gaps identified in a project, with their root-cause analysis.
create table gaps (
  organization_id     uuid not null references organizations (id) on delete cascade,
  id                  uuid not null default gen_random_uuid(),
  project_id          uuid not null,
  title               text not null,
  description         text,
  gap_type            text not null
                      check (gap_type in ('resource', 'skill', 'process', 'technology',
                                          'communication', 'timeline', 'budget', 'quality')),
  severity            text not null default 'medium'
                      check (severity in ('low', 'medium', 'high', 'critical')),
  status              text not null default 'identified'
                      check (status in ('identified', 'analyzing', 'in_progress', 'resolved', 'accepted')),
  root_cause_analysis jsonb,
  impact              text,
  recommendations     jsonb,
  identified_by_id    uuid,
  resolved_at         timestamptz,
  deleted_at          timestamptz,
  created_at          timestamptz not null default now(),
  updated_at          timestamptz not null default now(),
  primary key (organization_id, id),
  foreign key (organization_id, project_id) references projects (organization_id, id)
    on delete cascade,
  foreign key (organization_id, identified_by_id) references members (organization_id, user_id)
    on delete set null (identified_by_id)
);
create index gaps_organization_id_project_id_status_idx on gaps (organization_id, project_id, status);
create index gaps_organization_id_identified_by_id_idx on gaps (organization_id, identified_by_id);

select app.enable_tenant_isolation('gaps');

-- Seed 001: forecasts computed from the project's own history.
create table predictions (
  organization_id uuid not null references organizations (id) on delete cascade,
  id              uuid not null default gen_random_uuid(),
  project_id      uuid not null,
  prediction_type text not null
                  check (prediction_type in ('delivery_date', 'velocity', 'risk', 'scope')),
  -- How it was computed, e.g. monte_carlo.
  method          text not null,
  confidence      numeric(5, 4) check (confidence between 0 and 1),
  result          jsonb not null default '{}'::jsonb,
  input_summary   jsonb,
  valid_until     timestamptz,
  created_by_id   uuid,
  created_at      timestamptz not null default now(),
  updated_at      timestamptz not null default now(),
  primary key (organization_id, id),
  foreign key (organization_id, project_id) references projects (organization_id, id)
    on delete cascade,
  foreign key (organization_id, created_by_id) references members (organization_id, user_id)
    on delete set null (created_by_id)
);
create index predictions_organization_id_project_id_type_idx
  on predictions (organization_id, project_id, prediction_type, created_at);
create index predictions_organization_id_created_by_id_idx on predictions (organization_id, created_by_id);

select app.enable_tenant_isolation('predictions');

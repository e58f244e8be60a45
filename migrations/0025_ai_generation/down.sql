-- Reverses 0025_ai_generation. Generations of the new kinds become 'other', and providers of
-- the openai-compatible kind 'other', so the older checks hold again.
set local lock_timeout = '5s';

drop table ai_token_usage;
drop table ai_model_prices;

alter table ai_generations drop column error;
alter table ai_generations drop column price_version;
alter table ai_generations drop column reserved_tokens;
alter table ai_generations drop column status;
alter table ai_generations drop column task;
update ai_generations set generation_type = 'other' where generation_type in ('chat', 'summary');
alter table ai_generations drop constraint ai_generations_generation_type_check;
alter table ai_generations add constraint ai_generations_generation_type_check
  check (generation_type in ('prd', 'story', 'analysis', 'prediction', 'other'));

update ai_providers set provider = 'other' where provider = 'openai-compatible';
alter table ai_providers drop constraint ai_providers_provider_check;
alter table ai_providers add constraint ai_providers_provider_check
  check (provider in ('openai', 'anthropic', 'ollama', 'azure_openai', 'google', 'other'));

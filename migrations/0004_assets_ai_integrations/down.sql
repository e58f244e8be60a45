-- Reverses 0004_assets_ai_integrations in reverse order of creation; each table takes its
-- indexes, policies, triggers and grants along.

drop table predictions;
drop table gaps;
drop table integrations;
drop table ai_generations;
drop table ai_providers;
drop table project_prompts;
drop table project_assets;

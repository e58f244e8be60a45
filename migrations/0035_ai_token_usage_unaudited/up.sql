-- ai_token_usage is a monthly counter derived from ai_generations, whose every reservation and
-- settlement is already audited (the generation row holds reserved_tokens, then the tokens
-- used). Auditing the counter too wrote two more trail rows on every AI call, a copy of what
-- the generation's rows say, on the write path the budget hangs off (db validate lists it as
-- deliberately unaudited).
drop trigger audit_row_change on ai_token_usage;

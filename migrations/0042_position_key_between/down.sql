set local lock_timeout = '5s';

drop function app.key_between(text, text);
drop function app.key_midpoint(text, text);
drop function app.key_integer_step(text, integer);
drop function app.key_integer_part(text);
drop function app.key_integer_length(text);

-- Reverses 0034_write_path_refusal.
set local lock_timeout = '5s';

drop function if exists app.refuse_write(text);

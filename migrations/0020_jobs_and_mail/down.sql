-- Reverses 0020_jobs_and_mail. Queued mail that was never sent is lost with the table.
set local lock_timeout = '5s';

drop table mail_deliveries;
drop table jobs;

-- Reverses 0037_webhook_outbox. Events not yet fanned out are lost with the table: dispatch
-- them first (let a server run) if their deliveries matter.
drop table webhook_outbox;

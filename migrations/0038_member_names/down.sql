-- Reverses 0038_member_names: task reads join users again (the code of the release before).
drop trigger copy_member_person on members;
drop function app.copy_member_person();
alter table members drop column image, drop column name;

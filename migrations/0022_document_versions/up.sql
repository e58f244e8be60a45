-- Document versions (issue 13): every save of a document keeps its title and text as a
-- numbered version (1 on creation, then 2, 3, …), so earlier text can be listed, compared
-- and restored. The document service writes them in the transaction of the save; no trigger,
-- so the table stays plain for Citus and the version rules live in one place.
set local lock_timeout = '5s';
set local statement_timeout = '30min';

create table document_versions (
  organization_id uuid not null references organizations (id) on delete cascade,
  id              uuid not null default gen_random_uuid(),
  document_id     uuid not null,
  version         integer not null check (version > 0),
  title           text not null,
  content         text not null,
  -- Who saved it. No reference to members: a version's author is a fact of the past that
  -- stays when they leave (a members reference would have to be `set null`, which Citus
  -- cannot do on a distributed table). Null only for versions taken by the backfill below
  -- from a document whose creator had already left.
  author_id       uuid,
  -- The version this one copied when it was made by a restore.
  restored_from   integer check (restored_from > 0),
  created_at      timestamptz not null default now(),
  updated_at      timestamptz not null default now(),
  primary key (organization_id, id),
  -- Also the index of a document's versions in order, which every read uses.
  unique (organization_id, document_id, version),
  -- Versions live and die with their document (the purge removes both).
  foreign key (organization_id, document_id) references documents (organization_id, id)
    on delete cascade
);

-- Existing documents get their current text as version 1, authored by their creator, at
-- their last change. RLS is forced on documents, which would hide every row from the owner
-- running this.
alter table documents no force row level security;
insert into document_versions (organization_id, document_id, version, title, content, author_id, created_at, updated_at)
select organization_id, id, 1, title, content, creator_id, updated_at, updated_at
  from documents;
alter table documents force row level security;

select app.enable_tenant_isolation('document_versions');
-- Derived from documents, whose every change is already audited with its old and new text:
-- auditing this table too would store each saved text in the trail a second time (db
-- validate lists it as deliberately unaudited).
drop trigger audit_row_change on document_versions;

-- Reverses 0022_document_versions: the versions go; the documents keep their current text.
drop table document_versions;

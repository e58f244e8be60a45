import { useState } from 'react';
import { ErrorText } from '../../../components/feedback';
import { Markdown } from '../../../components/markdown';
import { PageHeader } from '../../../components/page';
import { DOCUMENT_STATUS_LABEL, DOCUMENT_TYPE_LABEL, type Document, useDocumentStatus } from '../api';
import { DocumentEditor } from './document-editor';
import { DocumentVersions } from './document-versions';
import '../documents.css';

type Props = { orgId: string; document: Document; canWrite: boolean; onSlugChange: (slug: string) => void };

/**
 * A document: read it and its versions; writers edit it (Markdown with a preview), publish it,
 * archive it, restore an earlier version.
 */
export function DocumentView({ orgId, document, canWrite, onSlugChange }: Props) {
  const [editing, setEditing] = useState(false);
  const status = useDocumentStatus(orgId, document.id);
  return (
    <article className="document">
      <PageHeader title={document.title}>
        {canWrite && !editing ? (
          <>
            <button type="button" className="button-primary" onClick={() => setEditing(true)}>
              Edit document
            </button>
            {document.status !== 'published' ? (
              <button type="button" className="button-quiet" disabled={status.isPending} onClick={() => status.mutate('publish')}>
                Publish
              </button>
            ) : null}
            {document.status !== 'archived' ? (
              <button type="button" className="button-quiet" disabled={status.isPending} onClick={() => status.mutate('archive')}>
                Archive
              </button>
            ) : null}
          </>
        ) : null}
      </PageHeader>
      <p className="row" aria-label="Document status">
        <span className={`tag doc-status-${document.status}`}>{DOCUMENT_STATUS_LABEL[document.status]}</span>
        <span className="tag">{DOCUMENT_TYPE_LABEL[document.type]}</span>
        {document.publishedAt ? <span className="muted">published {new Date(document.publishedAt).toLocaleDateString()}</span> : null}
      </p>
      <ErrorText error={status.error} />
      {editing ? (
        <DocumentEditor
          orgId={orgId}
          document={document}
          onDone={(saved) => {
            setEditing(false);
            if (saved && saved.slug !== document.slug) onSlugChange(saved.slug);
          }}
        />
      ) : document.content.trim() ? (
        <Markdown text={document.content} />
      ) : (
        <p className="muted">This document is empty.{canWrite ? ' Edit it to write its content in Markdown.' : ''}</p>
      )}
      {editing ? null : <DocumentVersions orgId={orgId} documentId={document.id} canWrite={canWrite} />}
    </article>
  );
}

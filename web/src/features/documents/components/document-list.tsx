import { Link } from '@tanstack/react-router';
import { EmptyState } from '../../../components/feedback';
import '../documents.css';
import { DOCUMENT_STATUS_LABEL, DOCUMENT_TYPE_LABEL, type DocumentSummary } from '../api';

type Props = { orgSlug: string; projectKey: string; documents: DocumentSummary[]; searching: boolean };

/** A project's documents, newest change first; `j`/`k` walk through them. */
export function DocumentList({ orgSlug, projectKey, documents, searching }: Props) {
  if (documents.length === 0) {
    return <EmptyState title={searching ? 'No document matches this search.' : 'This project has no documents yet.'} />;
  }
  const sorted = [...documents].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
  return (
    <ul className="list" aria-label="Documents">
      {sorted.map((document) => (
        <li key={document.id} className="document-row">
          <Link to="/$orgSlug/docs/$key/$slug" params={{ orgSlug, key: projectKey, slug: document.slug }} data-shortcut-item>
            {document.title}
          </Link>
          <span className="row">
            <span className={`tag doc-status-${document.status}`}>{DOCUMENT_STATUS_LABEL[document.status]}</span>
            <span className="tag">{DOCUMENT_TYPE_LABEL[document.type]}</span>
            <span className="muted">updated {new Date(document.updatedAt).toLocaleDateString()}</span>
          </span>
        </li>
      ))}
    </ul>
  );
}

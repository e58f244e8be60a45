import { useState } from 'react';
import { ErrorText } from '../../../components/feedback';
import { Markdown } from '../../../components/markdown';
import { type Document, useUpdateDocument } from '../api';

type Props = { orgId: string; document: Document; onDone: (saved: Document | null) => void };

/** Title and Markdown content, with Write / Preview tabs; Save sends only what changed. */
export function DocumentEditor({ orgId, document, onDone }: Props) {
  const update = useUpdateDocument(orgId, document.id);
  const [title, setTitle] = useState(document.title);
  const [content, setContent] = useState(document.content);
  const [preview, setPreview] = useState(false);
  const changes = {
    ...(title.trim() !== document.title ? { title: title.trim() } : {}),
    ...(content !== document.content ? { content } : {}),
  };
  return (
    <form
      className="stack document-editor"
      aria-label="Edit document"
      onSubmit={(event) => {
        event.preventDefault();
        if (Object.keys(changes).length === 0) return onDone(null);
        update.mutate(changes, { onSuccess: (saved) => onDone(saved) });
      }}
    >
      <label className="field">
        Title
        <input type="text" value={title} required maxLength={300} onChange={(event) => setTitle(event.target.value)} />
      </label>
      <div className="row" role="group" aria-label="Editor mode">
        <button type="button" className={preview ? 'button-quiet' : 'button-primary'} aria-pressed={!preview} onClick={() => setPreview(false)}>
          Write
        </button>
        <button type="button" className={preview ? 'button-primary' : 'button-quiet'} aria-pressed={preview} onClick={() => setPreview(true)}>
          Preview
        </button>
      </div>
      {preview ? (
        <section className="card" aria-label="Preview">
          {content.trim() ? <Markdown text={content} /> : <p className="muted">Nothing to preview yet.</p>}
        </section>
      ) : (
        <label className="field">
          Content (Markdown)
          <textarea value={content} rows={16} maxLength={500_000} onChange={(event) => setContent(event.target.value)} />
        </label>
      )}
      <ErrorText error={update.error} />
      <div className="row">
        <button type="submit" className="button-primary" disabled={update.isPending}>
          Save document
        </button>
        <button type="button" className="button-quiet" onClick={() => onDone(null)}>
          Cancel
        </button>
      </div>
    </form>
  );
}

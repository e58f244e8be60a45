import { useState } from 'react';
import { ErrorText } from '../../../components/feedback';
import { Markdown } from './markdown';

type MarkdownFieldProps = {
  /** "Description", "Acceptance criteria": the section heading and the textbox's name. */
  label: string;
  text: string | null;
  canWrite: boolean;
  empty: string;
  onSave: (text: string | null) => Promise<unknown>;
};

/** A Markdown section: rendered; for writers an "Edit …" button opens a textbox with a preview. */
export function MarkdownField({ label, text, canWrite, empty, onSave }: MarkdownFieldProps) {
  const [draft, setDraft] = useState<string | null>(null);
  const [preview, setPreview] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  const id = `field-${label.toLowerCase().replace(/\W+/g, '-')}`;

  const save = async () => {
    if (draft === null) return;
    setSaving(true);
    try {
      await onSave(draft.trim() === '' ? null : draft);
      setDraft(null);
      setError(null);
    } catch (failure) {
      setError(failure);
    } finally {
      setSaving(false);
    }
  };

  return (
    <section className="task-section" aria-labelledby={`${id}-heading`}>
      <div className="section-header">
        <h2 id={`${id}-heading`}>{label}</h2>
        {canWrite && draft === null ? (
          <button type="button" className="button-quiet" onClick={() => setDraft(text ?? '')}>
            Edit {label.toLowerCase()}
          </button>
        ) : null}
      </div>
      {draft === null ? (
        text ? <Markdown text={text} /> : <p className="muted">{empty}</p>
      ) : (
        <div className="markdown-editor">
          <div className="editor-tabs">
            <button type="button" className="button-quiet" aria-pressed={!preview} onClick={() => setPreview(false)}>
              Write
            </button>
            <button type="button" className="button-quiet" aria-pressed={preview} onClick={() => setPreview(true)}>
              Preview
            </button>
          </div>
          {preview ? (
            <div className="preview" aria-label={`${label} preview`} role="region">
              {draft.trim() ? <Markdown text={draft} /> : <p className="muted">Nothing to preview.</p>}
            </div>
          ) : (
            <>
              <label className="visually-hidden" htmlFor={id}>
                {label}
              </label>
              <textarea id={id} rows={8} value={draft} maxLength={50_000} onChange={(event) => setDraft(event.target.value)} />
            </>
          )}
          <p className="muted small">Markdown: **bold**, _italic_, `code`, lists, [links](https://example.com).</p>
          <div className="form-actions">
            <button type="button" className="button-primary" disabled={saving} onClick={() => void save()}>
              Save {label.toLowerCase()}
            </button>
            <button type="button" className="button-quiet" onClick={() => setDraft(null)}>
              Cancel
            </button>
          </div>
          <ErrorText error={error} />
        </div>
      )}
    </section>
  );
}

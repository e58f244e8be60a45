import { useId, useState } from 'react';
import { ErrorText } from '../../../components/feedback';
import { Markdown } from '../../../components/markdown';
import { useGenerate } from '../api';
import { AiErrorText } from './ai-error';
import { GenerationFacts } from './generation-facts';

export type DraftToSave = { title: string; content: string };

type Props = {
  orgId: string;
  providerId: string;
  /** The document the draft is written beside: the model reads it as context. */
  documentId: string;
  /** Saves the draft as a new document of the project (the page decides where to go next). */
  save: { run: (draft: DraftToSave) => void; isPending: boolean; error: unknown };
};

/** The first Markdown heading of a draft, as the title to save it under. */
function titleOf(markdown: string): string {
  const heading = /^#{1,3}\s+(.+)$/m.exec(markdown);
  return (heading?.[1] ?? '').trim().slice(0, 300);
}

/** A document drafted from a prompt, previewed; it becomes a document only when the user saves it. */
export function DocumentDraft({ orgId, providerId, documentId, save }: Props) {
  const id = useId();
  const generate = useGenerate(orgId);
  const [prompt, setPrompt] = useState('');
  const [title, setTitle] = useState('');
  const draft = generate.data;
  return (
    <section className="section ai-panel" aria-labelledby={`${id}-heading`}>
      <h3 id={`${id}-heading`}>Draft a document</h3>
      <form
        className="stack"
        onSubmit={(event) => {
          event.preventDefault();
          generate.mutate({ providerId, task: 'document', documentId, prompt: prompt.trim() }, { onSuccess: (record) => setTitle(titleOf(record.response ?? '')) });
        }}
      >
        <label className="field">
          What should the document say?
          <textarea rows={3} value={prompt} required maxLength={10_000} onChange={(event) => setPrompt(event.target.value)} />
        </label>
        <div className="row">
          <button type="submit" className="button-primary" disabled={generate.isPending || !providerId || !prompt.trim()}>
            {generate.isPending ? 'Drafting…' : 'Draft document'}
          </button>
        </div>
      </form>
      <AiErrorText error={generate.error} />
      {draft ? (
        <div className="stack">
          <GenerationFacts record={draft} />
          <section className="ai-draft" aria-label="Draft preview">
            <Markdown text={draft.response ?? ''} />
          </section>
          <form
            className="row"
            onSubmit={(event) => {
              event.preventDefault();
              save.run({ title: title.trim(), content: draft.response ?? '' });
            }}
          >
            <label className="field">
              Title of the new document
              <input type="text" value={title} required maxLength={300} onChange={(event) => setTitle(event.target.value)} />
            </label>
            <button type="submit" className="button-primary" disabled={save.isPending || !title.trim()}>
              Save draft as a document
            </button>
          </form>
          <ErrorText error={save.error} />
        </div>
      ) : null}
    </section>
  );
}

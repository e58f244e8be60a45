import { useState } from 'react';
import { ErrorText } from '../../../components/feedback';
import { FormActions } from '../../../components/form-actions';
import { DOCUMENT_TYPE_LABEL, type Document, useCreateDocument } from '../api';

type Props = { orgId: string; projectId: string; projectKey: string; onCreated: (document: Document) => void; onCancel: () => void };

/** A draft document from a title and a type; its content is written on its own page. */
export function NewDocumentForm({ orgId, projectId, projectKey, onCreated, onCancel }: Props) {
  const create = useCreateDocument(orgId, projectId);
  const [title, setTitle] = useState('');
  const [type, setType] = useState<Document['type']>('note');
  return (
    <form
      className="card stack"
      aria-label={`New document in ${projectKey}`}
      onSubmit={(event) => {
        event.preventDefault();
        create.mutate({ title: title.trim(), type }, { onSuccess: onCreated });
      }}
    >
      <label className="field">
        Document title
        <input type="text" value={title} required maxLength={300} autoFocus onChange={(event) => setTitle(event.target.value)} />
      </label>
      <label className="field">
        Type
        <select value={type} onChange={(event) => setType(event.target.value as Document['type'])}>
          {Object.entries(DOCUMENT_TYPE_LABEL).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </label>
      <ErrorText error={create.error} />
      <FormActions submitLabel={'Create document'} pending={create.isPending} onCancel={onCancel} />
    </form>
  );
}

import { useState } from 'react';
import { EmptyState, ErrorText, Loading } from '../../../components/feedback';
import { FormActions } from '../../../components/form-actions';

type Record = { id: string; name: string };

type Props<T extends Record> = {
  /** "AI provider", "integration": headings, buttons and confirmations are made from it. */
  noun: string;
  heading: string;
  records: { data?: T[]; error: unknown; isPending: boolean };
  remove: { mutate: (id: string) => void; isPending: boolean; error: unknown };
  canManage: boolean;
  /** Why an admin cannot add one (the plan), or null when they can. */
  planNote: string | null;
  describe: (record: T) => { main: React.ReactNode; secret: string };
  addForm: (done: () => void) => React.ReactNode;
};

/**
 * Records that hold a secret (AI providers, integrations): listed with what the API says about
 * the secret (a hint, or only that one is stored), added through a form, deleted with a confirmation.
 */
export function SecretRecords<T extends Record>({ noun, heading, records, remove, canManage, planNote, describe, addForm }: Props<T>) {
  const [adding, setAdding] = useState(false);
  const id = `${noun.replace(/\W+/g, '-').toLowerCase()}-heading`;
  return (
    <section className="section" aria-labelledby={id}>
      <h2 id={id}>{heading}</h2>
      {canManage && planNote ? <p className="muted">{planNote}</p> : null}
      {canManage && !planNote && !adding ? (
        <button type="button" className="button-quiet" onClick={() => setAdding(true)}>
          Add {noun}
        </button>
      ) : null}
      {adding ? addForm(() => setAdding(false)) : null}
      <ErrorText error={records.error ?? remove.error} />
      {records.isPending ? <Loading label={`Loading ${heading.toLowerCase()}…`} /> : null}
      {records.data?.length === 0 ? <EmptyState title={`No ${noun} yet.`} /> : null}
      {records.data && records.data.length > 0 ? (
        <ul className="list" aria-label={heading}>
          {records.data.map((record) => {
            const { main, secret } = describe(record);
            return (
              <li key={record.id} className="admin-row">
                <span>{main}</span>
                <span className="muted">{secret}</span>
                {canManage ? (
                  <button
                    type="button"
                    className="button-danger"
                    disabled={remove.isPending}
                    onClick={() => {
                      if (window.confirm(`Delete the ${noun} ${record.name} and its secret?`)) remove.mutate(record.id);
                    }}
                  >
                    Delete {record.name}
                  </button>
                ) : null}
              </li>
            );
          })}
        </ul>
      ) : null}
    </section>
  );
}

/** A secret-holding record's form: its fields, the error, Save and Cancel. */
export function SecretForm({ label, saveLabel, saving, error, onSubmit, onCancel, children }: {
  label: string;
  saveLabel: string;
  saving: boolean;
  error: unknown;
  onSubmit: () => void;
  onCancel: () => void;
  children: React.ReactNode;
}) {
  return (
    <form
      className="card stack"
      aria-label={label}
      onSubmit={(event) => {
        event.preventDefault();
        onSubmit();
      }}
    >
      {children}
      <ErrorText error={error} />
      <FormActions submitLabel={saveLabel} pending={saving} onCancel={onCancel} />
    </form>
  );
}

import { useEffect, useState } from 'react';
import { ErrorText } from '../../../components/feedback';

/** The title as a textbox named "Title": Enter or leaving the field saves; Escape puts it back. */
export function TitleField({ title, onSave }: { title: string; onSave: (title: string) => Promise<unknown> }) {
  const [value, setValue] = useState(title);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => setValue(title), [title]);

  const save = async () => {
    const next = value.trim();
    if (next === title) return;
    if (!next) {
      setError('A task needs a title.');
      return;
    }
    try {
      await onSave(next);
      setError(null);
    } catch (failure) {
      setError(failure);
    }
  };
  return (
    <div className="title-field">
      <label className="visually-hidden" htmlFor="task-title">
        Title
      </label>
      <input
        id="task-title"
        className="title-input"
        value={value}
        maxLength={500}
        onChange={(event) => setValue(event.target.value)}
        onBlur={() => void save()}
        onKeyDown={(event) => {
          if (event.key === 'Enter') {
            event.preventDefault();
            void save();
          } else if (event.key === 'Escape') {
            setValue(title);
          }
        }}
        aria-invalid={error ? true : undefined}
      />
      <ErrorText error={error} />
    </div>
  );
}

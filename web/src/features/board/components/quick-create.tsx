import { useRef, useState } from 'react';
import { ErrorText } from '../../../components/feedback';
import { STATUS_LABEL, type TaskStatus } from '../../../lib/task-vocabulary';

/** "Add task to To do" → a title box; Enter creates and keeps the box open for the next one, Escape closes. */
export function QuickCreate({ status, onCreate }: { status: TaskStatus; onCreate: (title: string, status: TaskStatus) => Promise<unknown> }) {
  const [open, setOpen] = useState(false);
  const [title, setTitle] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  const opener = useRef<HTMLButtonElement>(null);
  const label = STATUS_LABEL[status];

  if (!open) {
    return (
      <button type="button" className="quick-create-open" ref={opener} onClick={() => setOpen(true)}>
        Add task to {label}
      </button>
    );
  }
  const close = () => {
    setOpen(false);
    setTitle('');
    setError(null);
  };
  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    const text = title.trim();
    if (!text || saving) return;
    setSaving(true);
    try {
      await onCreate(text, status);
      setTitle('');
      setError(null);
    } catch (failure) {
      setError(failure);
    } finally {
      setSaving(false);
    }
  };
  return (
    <form className="quick-create" onSubmit={(event) => void submit(event)}>
      <label>
        <span className="visually-hidden">Title of a new task in {label}</span>
        <input
          type="text"
          value={title}
          autoFocus
          maxLength={500}
          placeholder="Task title, then Enter"
          onChange={(event) => setTitle(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Escape') close();
          }}
          aria-invalid={error ? true : undefined}
        />
      </label>
      <div className="quick-create-actions">
        <button type="submit" className="button-primary" disabled={saving}>
          Create task
        </button>
        <button type="button" className="button-quiet" onClick={close}>
          Cancel
        </button>
      </div>
      <ErrorText error={error} />
    </form>
  );
}

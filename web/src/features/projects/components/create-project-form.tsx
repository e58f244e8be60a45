import { useId, useState } from 'react';
import { ErrorText } from '../../../components/feedback';
import { FormActions } from '../../../components/form-actions';
import { type Project, useCreateProject } from '../api';
import { type Visibility, VisibilityField } from './visibility';

/** A key suggested from the name: "Website relaunch" → "WR", "Platform" → "PLAT". */
export function suggestKey(name: string): string {
  const words = name.toUpperCase().replace(/[^A-Z0-9 ]+/g, ' ').trim().split(/\s+/).filter(Boolean);
  const key = words.length > 1 ? words.map((word) => word[0]).join('') : (words[0] ?? '').slice(0, 4);
  return /^[A-Z]/.test(key) ? key.slice(0, 10) : '';
}

export function CreateProjectForm({ orgId, onCreated, onCancel }: { orgId: string; onCreated: (project: Project) => void; onCancel: () => void }) {
  const id = useId();
  const create = useCreateProject(orgId);
  const [name, setName] = useState('');
  const [key, setKey] = useState<string | null>(null);
  const [description, setDescription] = useState('');
  const [visibility, setVisibility] = useState<Visibility>('organization');
  const shownKey = key ?? suggestKey(name);
  return (
    <form
      className="section stack"
      aria-label="New project"
      onSubmit={(event) => {
        event.preventDefault();
        create.mutate({ name: name.trim(), key: shownKey, description: description.trim() || null, visibility }, { onSuccess: onCreated });
      }}
    >
      <div className="inline-form">
        <div className="field">
          <label htmlFor={`${id}-name`}>Project name</label>
          <input id={`${id}-name`} required maxLength={200} value={name} onChange={(event) => setName(event.target.value)} />
        </div>
        <div className="field field-narrow">
          <label htmlFor={`${id}-key`}>Key</label>
          <input
            id={`${id}-key`}
            required
            pattern="[A-Z][A-Z0-9]{1,9}"
            maxLength={10}
            aria-describedby={`${id}-key-hint`}
            value={shownKey}
            onChange={(event) => setKey(event.target.value.toUpperCase())}
          />
        </div>
      </div>
      <p className="hint" id={`${id}-key-hint`}>
        The key starts every task reference (KEY-1): two to ten capital letters or digits, starting with a letter.
      </p>
      <div className="field">
        <label htmlFor={`${id}-description`}>Description</label>
        <textarea id={`${id}-description`} maxLength={10_000} value={description} onChange={(event) => setDescription(event.target.value)} />
      </div>
      <VisibilityField value={visibility} onChange={setVisibility} />
      <ErrorText error={create.error} />
      <FormActions submitLabel={'Create project'} pending={create.isPending} onCancel={onCancel} />
    </form>
  );
}

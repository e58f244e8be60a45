import { useId, useState } from 'react';
import { ErrorText } from '../../../components/feedback';
import type { Schemas } from '../../../api/client';
import { slugify, useCreateOrganization } from '../api';

/** Name and URL slug (suggested from the name until edited) of a new organization. */
export function CreateOrganizationForm({ onCreated }: { onCreated: (org: Schemas['Organization']) => void }) {
  const id = useId();
  const create = useCreateOrganization();
  const [name, setName] = useState('');
  const [slug, setSlug] = useState('');
  const [slugEdited, setSlugEdited] = useState(false);
  const shownSlug = slugEdited ? slug : slugify(name);
  return (
    <form
      className="stack"
      onSubmit={(event) => {
        event.preventDefault();
        create.mutate({ name: name.trim(), slug: shownSlug }, { onSuccess: onCreated });
      }}
    >
      <div className="field">
        <label htmlFor={`${id}-name`}>Organization name</label>
        <input id={`${id}-name`} required maxLength={200} value={name} onChange={(event) => setName(event.target.value)} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-slug`}>URL</label>
        <div className="input-prefix">
          <span aria-hidden="true">/</span>
          <input
            id={`${id}-slug`}
            required
            minLength={2}
            maxLength={64}
            pattern="[a-z0-9]+(-[a-z0-9]+)*"
            aria-describedby={`${id}-slug-hint`}
            value={shownSlug}
            onChange={(event) => {
              setSlugEdited(true);
              setSlug(event.target.value);
            }}
          />
        </div>
        <p className="hint" id={`${id}-slug-hint`}>
          Lower-case letters, digits and single hyphens.
        </p>
      </div>
      <ErrorText error={create.error} />
      <button type="submit" className="button-primary" disabled={create.isPending}>
        Create organization
      </button>
    </form>
  );
}

import { useId, useState } from 'react';
import type { Schemas } from '../../../api/client';
import { ErrorText } from '../../../components/feedback';
import type { Permissions } from '../../../lib/permissions';
import { useRenameOrganization } from '../api';

/** Name and URL of the organization; admins rename it (the URL stays, so shared links keep working). */
export function OrganizationGeneral({ org, can }: { org: Schemas['Organization']; can: Permissions }) {
  const id = useId();
  const rename = useRenameOrganization(org.id);
  const [name, setName] = useState(org.name);
  return (
    <section className="section" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>General</h2>
      {can.admin ? (
        <form
          className="inline-form"
          onSubmit={(event) => {
            event.preventDefault();
            rename.mutate(name.trim());
          }}
        >
          <div className="field">
            <label htmlFor={`${id}-name`}>Organization name</label>
            <input id={`${id}-name`} required maxLength={200} value={name} onChange={(event) => setName(event.target.value)} />
          </div>
          <button type="submit" disabled={rename.isPending || name.trim() === org.name}>
            Save
          </button>
        </form>
      ) : (
        <p>
          <strong>{org.name}</strong>
        </p>
      )}
      {rename.isSuccess && name.trim() === org.name ? <p role="status">Saved.</p> : null}
      <ErrorText error={rename.error} />
      <p className="muted">
        URL: <code>/{org.slug}</code> · Your role: {org.role}
      </p>
    </section>
  );
}

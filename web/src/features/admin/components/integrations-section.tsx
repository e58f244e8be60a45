import { useState } from 'react';
import { EmptyState, ErrorText, Loading } from '../../../components/feedback';
import type { Schemas } from '../../../api/client';
import { useAddIntegration, useDeleteIntegration, useIntegrations } from '../api';

const TYPES: Schemas['CreateIntegration']['type'][] = ['github', 'gitlab', 'jira', 'linear', 'slack', 'asana', 'trello', 'other'];
const typeLabel = (value: string) => (value === 'github' ? 'GitHub' : value === 'gitlab' ? 'GitLab' : value[0]!.toUpperCase() + value.slice(1));

type Props = { orgId: string; canManage: boolean; planAllows: boolean };

/** Connected tools. Credentials are write-only: the API says only whether some are stored. */
export function IntegrationsSection({ orgId, canManage, planAllows }: Props) {
  const integrations = useIntegrations(orgId);
  const remove = useDeleteIntegration(orgId);
  const [adding, setAdding] = useState(false);
  return (
    <section className="section" aria-labelledby="integrations-heading">
      <h2 id="integrations-heading">Integrations</h2>
      {canManage && !planAllows ? <p className="muted">The current plan does not include integrations.</p> : null}
      {canManage && planAllows && !adding ? (
        <button type="button" className="button-quiet" onClick={() => setAdding(true)}>
          Add integration
        </button>
      ) : null}
      {adding ? <AddIntegrationForm orgId={orgId} onDone={() => setAdding(false)} /> : null}
      <ErrorText error={integrations.error ?? remove.error} />
      {integrations.isPending ? <Loading label="Loading integrations…" /> : null}
      {integrations.data?.length === 0 ? <EmptyState title="No integration connected." /> : null}
      {integrations.data && integrations.data.length > 0 ? (
        <ul className="list" aria-label="Integrations">
          {integrations.data.map((integration) => (
            <li key={integration.id} className="admin-row">
              <span>
                <strong>{integration.name}</strong> · {typeLabel(integration.type)} · {integration.status}
              </span>
              <span className="muted">
                {integration.hasCredentials ? 'Credentials stored' : 'No credentials'}
                {integration.lastError ? ` · last error: ${integration.lastError}` : ''}
              </span>
              {canManage ? (
                <button
                  type="button"
                  className="button-danger"
                  disabled={remove.isPending}
                  onClick={() => {
                    if (window.confirm(`Delete the integration ${integration.name} and its credentials?`)) remove.mutate(integration.id);
                  }}
                >
                  Delete {integration.name}
                </button>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

function AddIntegrationForm({ orgId, onDone }: { orgId: string; onDone: () => void }) {
  const add = useAddIntegration(orgId);
  const [type, setType] = useState<Schemas['CreateIntegration']['type']>('github');
  const [name, setName] = useState('');
  const [token, setToken] = useState('');
  return (
    <form
      className="card stack"
      aria-label="New integration"
      onSubmit={(event) => {
        event.preventDefault();
        add.mutate({ type, name: name.trim(), ...(token.trim() ? { credentials: { token: token.trim() } } : {}) }, { onSuccess: onDone });
      }}
    >
      <label className="field">
        Tool
        <select value={type} onChange={(event) => setType(event.target.value as typeof type)}>
          {TYPES.map((value) => (
            <option key={value} value={value}>
              {typeLabel(value)}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        Integration name
        <input type="text" value={name} required maxLength={200} autoFocus onChange={(event) => setName(event.target.value)} />
      </label>
      <label className="field">
        Access token
        <input type="password" value={token} maxLength={4000} autoComplete="off" onChange={(event) => setToken(event.target.value)} />
        <span className="hint">Stored encrypted and never shown again.</span>
      </label>
      <ErrorText error={add.error} />
      <div className="row">
        <button type="submit" className="button-primary" disabled={add.isPending}>
          Save integration
        </button>
        <button type="button" className="button-quiet" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}

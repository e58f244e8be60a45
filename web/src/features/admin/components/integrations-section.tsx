import { useState } from 'react';
import type { Schemas } from '../../../api/client';
import { useAddIntegration, useDeleteIntegration, useIntegrations } from '../api';
import { SecretForm, SecretRecords } from './secret-records';

const TYPES: Schemas['CreateIntegration']['type'][] = ['github', 'gitlab', 'jira', 'linear', 'slack', 'asana', 'trello', 'other'];
const typeLabel = (value: string) => (value === 'github' ? 'GitHub' : value === 'gitlab' ? 'GitLab' : value[0]!.toUpperCase() + value.slice(1));

type Props = { orgId: string; canManage: boolean; planAllows: boolean };

/** Connected tools. Credentials are write-only: the API says only whether some are stored. */
export function IntegrationsSection({ orgId, canManage, planAllows }: Props) {
  return (
    <SecretRecords
      noun="integration"
      heading="Integrations"
      records={useIntegrations(orgId)}
      remove={useDeleteIntegration(orgId)}
      canManage={canManage}
      planNote={planAllows ? null : 'The current plan does not include integrations.'}
      describe={(integration) => ({
        main: (
          <>
            <strong>{integration.name}</strong> · {typeLabel(integration.type)} · {integration.status}
          </>
        ),
        secret: `${integration.hasCredentials ? 'Credentials stored' : 'No credentials'}${integration.lastError ? ` · last error: ${integration.lastError}` : ''}`,
      })}
      addForm={(done) => <AddIntegrationForm orgId={orgId} onDone={done} />}
    />
  );
}

function AddIntegrationForm({ orgId, onDone }: { orgId: string; onDone: () => void }) {
  const add = useAddIntegration(orgId);
  const [type, setType] = useState<Schemas['CreateIntegration']['type']>('github');
  const [name, setName] = useState('');
  const [token, setToken] = useState('');
  const submit = () => add.mutate({ type, name: name.trim(), ...(token.trim() ? { credentials: { token: token.trim() } } : {}) }, { onSuccess: onDone });
  return (
    <SecretForm label="New integration" saveLabel="Save integration" saving={add.isPending} error={add.error} onSubmit={submit} onCancel={onDone}>
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
    </SecretForm>
  );
}

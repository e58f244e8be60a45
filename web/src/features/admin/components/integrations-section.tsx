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
        secret: [
          integration.hasCredentials ? 'Credentials stored' : 'No credentials',
          integration.type === 'github' ? `last sync: ${integration.lastSyncAt ? new Date(integration.lastSyncAt).toLocaleString() : 'never'}` : null,
          integration.lastError ? `last error: ${integration.lastError}` : null,
        ].filter(Boolean).join(' · '),
      })}
      addForm={(done) => <AddIntegrationForm orgId={orgId} onDone={done} />}
    />
  );
}

/** GitHub signs its webhook with a secret both sides know: one is made here, and shown only now. */
const newWebhookSecret = () => Array.from(crypto.getRandomValues(new Uint8Array(24)), (byte) => byte.toString(16).padStart(2, '0')).join('');

/** Where GitHub sends its events for this integration. */
export const githubWebhookUrl = (integrationId: string) => `${window.location.origin}/api/v1/integrations/${integrationId}/github/webhook`;

function AddIntegrationForm({ orgId, onDone }: { orgId: string; onDone: () => void }) {
  const add = useAddIntegration(orgId);
  const [type, setType] = useState<Schemas['CreateIntegration']['type']>('github');
  const [name, setName] = useState('');
  const [token, setToken] = useState('');
  const [webhookSecret] = useState(newWebhookSecret);
  const github = type === 'github';
  const credentials = github ? { webhookSecret } : token.trim() ? { token: token.trim() } : null;
  const submit = () => add.mutate({ type, name: name.trim(), ...(credentials ? { credentials } : {}) }, { onSuccess: github ? undefined : onDone });
  if (github && add.data) {
    return (
      <div role="status" className="section">
        <p>
          In GitHub, under the repository&apos;s Settings → Webhooks, add a webhook with the payload URL <code>{githubWebhookUrl(add.data.id)}</code>,
          content type application/json, the events <em>push</em> and <em>pull requests</em>, and this secret, shown this once: <code>{webhookSecret}</code>
        </p>
        <button type="button" className="button-primary" onClick={onDone}>
          Done
        </button>
      </div>
    );
  }
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
      {github ? (
        <p className="hint">A webhook secret is made for it; the next step shows it once, with the URL to paste into GitHub.</p>
      ) : (
        <label className="field">
          Access token
          <input type="password" value={token} maxLength={4000} autoComplete="off" onChange={(event) => setToken(event.target.value)} />
          <span className="hint">Stored encrypted and never shown again.</span>
        </label>
      )}
    </SecretForm>
  );
}

import { useState } from 'react';
import type { Schemas } from '../../../api/client';
import { useAddAiProvider, useAiProviders, useDeleteAiProvider } from '../api';
import { SecretForm, SecretRecords } from './secret-records';

const KINDS: { value: Schemas['CreateAiProvider']['provider']; label: string }[] = [
  { value: 'openai', label: 'OpenAI' },
  { value: 'anthropic', label: 'Anthropic' },
  { value: 'azure_openai', label: 'Azure OpenAI' },
  { value: 'google', label: 'Google' },
  { value: 'ollama', label: 'Ollama' },
  { value: 'other', label: 'Other' },
];
const kindLabel = (value: string) => KINDS.find((kind) => kind.value === value)?.label ?? value;

type Props = { orgId: string; canManage: boolean; planAllows: boolean };

/** The organization's AI providers. A key is written once (a password field) and shown afterwards only as its hint. */
export function AiProvidersSection({ orgId, canManage, planAllows }: Props) {
  return (
    <SecretRecords
      noun="AI provider"
      heading="AI providers"
      records={useAiProviders(orgId)}
      remove={useDeleteAiProvider(orgId)}
      canManage={canManage}
      planNote={planAllows ? null : 'The current plan does not include the AI assistant, so providers cannot be added.'}
      describe={(provider) => ({
        main: (
          <>
            <strong>{provider.name}</strong> · {kindLabel(provider.provider)}
            {provider.defaultModel ? ` · ${provider.defaultModel}` : ''}
            {provider.isDefault ? ' · default' : ''} · {provider.status}
          </>
        ),
        secret: provider.hasApiKey ? `API key ${provider.apiKeyHint ?? 'stored'}` : 'No API key',
      })}
      addForm={(done) => <AddProviderForm orgId={orgId} onDone={done} />}
    />
  );
}

function AddProviderForm({ orgId, onDone }: { orgId: string; onDone: () => void }) {
  const add = useAddAiProvider(orgId);
  const [provider, setProvider] = useState<Schemas['CreateAiProvider']['provider']>('openai');
  const [name, setName] = useState('');
  const [defaultModel, setDefaultModel] = useState('');
  const [apiKey, setApiKey] = useState('');
  const submit = () =>
    add.mutate(
      { provider, name: name.trim(), defaultModel: defaultModel.trim() || undefined, apiKey: apiKey.trim() || undefined },
      {
        // The key leaves the page with the request: nothing keeps it afterwards.
        onSuccess: () => {
          setApiKey('');
          onDone();
        },
      },
    );
  return (
    <SecretForm label="New AI provider" saveLabel="Save AI provider" saving={add.isPending} error={add.error} onSubmit={submit} onCancel={onDone}>
      <label className="field">
        Provider
        <select value={provider} onChange={(event) => setProvider(event.target.value as typeof provider)}>
          {KINDS.map((kind) => (
            <option key={kind.value} value={kind.value}>
              {kind.label}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        Provider name
        <input type="text" value={name} required maxLength={200} autoFocus onChange={(event) => setName(event.target.value)} />
      </label>
      <label className="field">
        Default model
        <input type="text" value={defaultModel} maxLength={200} onChange={(event) => setDefaultModel(event.target.value)} />
      </label>
      <label className="field">
        API key
        <input type="password" value={apiKey} maxLength={4096} autoComplete="off" onChange={(event) => setApiKey(event.target.value)} />
        <span className="hint">Stored encrypted and never shown again; only its last characters appear as a hint.</span>
      </label>
    </SecretForm>
  );
}

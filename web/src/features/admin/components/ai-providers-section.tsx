import { useState } from 'react';
import type { Schemas } from '../../../api/client';
import { useAddAiProvider, useAiProviders, useDeleteAiProvider } from '../api';
import { SecretForm, SecretRecords } from './secret-records';

const KINDS: { value: Schemas['CreateAiProvider']['kind']; label: string }[] = [
  { value: 'openai', label: 'OpenAI' },
  { value: 'anthropic', label: 'Anthropic' },
  { value: 'openai-compatible', label: 'OpenAI-compatible (Ollama, vLLM, LM Studio)' },
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
            <strong>{provider.name}</strong> · {kindLabel(provider.kind)}
            {provider.model ? ` · ${provider.model}` : ''}
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
  const [kind, setKind] = useState<Schemas['CreateAiProvider']['kind']>('openai');
  const [name, setName] = useState('');
  const [model, setModel] = useState('');
  const [baseUrl, setBaseUrl] = useState('');
  const [apiKey, setApiKey] = useState('');
  const submit = () =>
    add.mutate(
      {
        kind,
        name: name.trim() || undefined,
        model: model.trim() || undefined,
        baseUrl: baseUrl.trim() || undefined,
        apiKey: apiKey.trim() || undefined,
      },
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
        <select value={kind} onChange={(event) => setKind(event.target.value as typeof kind)}>
          {KINDS.map((kind) => (
            <option key={kind.value} value={kind.value}>
              {kind.label}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        Provider name
        <input type="text" value={name} maxLength={200} autoFocus onChange={(event) => setName(event.target.value)} />
        <span className="hint">Optional: the kind and model when left empty.</span>
      </label>
      <label className="field">
        Model
        <input type="text" value={model} maxLength={200} required onChange={(event) => setModel(event.target.value)} />
      </label>
      <label className="field">
        Base URL
        <input type="url" value={baseUrl} maxLength={2000} required={kind === 'openai-compatible'} onChange={(event) => setBaseUrl(event.target.value)} />
        <span className="hint">Required for OpenAI-compatible servers, e.g. http://ollama.internal:11434/v1.</span>
      </label>
      <label className="field">
        API key
        <input type="password" value={apiKey} maxLength={4096} autoComplete="off" onChange={(event) => setApiKey(event.target.value)} />
        <span className="hint">Stored encrypted and never shown again; only its last characters appear as a hint.</span>
      </label>
    </SecretForm>
  );
}

import { useState } from 'react';
import { EmptyState, ErrorText, Loading } from '../../../components/feedback';
import type { Schemas } from '../../../api/client';
import { useAddAiProvider, useAiProviders, useDeleteAiProvider } from '../api';

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
  const providers = useAiProviders(orgId);
  const remove = useDeleteAiProvider(orgId);
  const [adding, setAdding] = useState(false);
  return (
    <section className="section" aria-labelledby="ai-providers-heading">
      <h2 id="ai-providers-heading">AI providers</h2>
      {canManage && !planAllows ? <p className="muted">The current plan does not include the AI assistant, so providers cannot be added.</p> : null}
      {canManage && planAllows && !adding ? (
        <button type="button" className="button-quiet" onClick={() => setAdding(true)}>
          Add AI provider
        </button>
      ) : null}
      {adding ? <AddProviderForm orgId={orgId} onDone={() => setAdding(false)} /> : null}
      <ErrorText error={providers.error ?? remove.error} />
      {providers.isPending ? <Loading label="Loading AI providers…" /> : null}
      {providers.data?.length === 0 ? <EmptyState title="No AI provider configured." /> : null}
      {providers.data && providers.data.length > 0 ? (
        <ul className="list" aria-label="AI providers">
          {providers.data.map((provider) => (
            <li key={provider.id} className="admin-row">
              <span>
                <strong>{provider.name}</strong> · {kindLabel(provider.provider)}
                {provider.defaultModel ? ` · ${provider.defaultModel}` : ''}
                {provider.isDefault ? ' · default' : ''} · {provider.status}
              </span>
              <span className="muted">{provider.hasApiKey ? `API key ${provider.apiKeyHint ?? 'stored'}` : 'No API key'}</span>
              {canManage ? (
                <button
                  type="button"
                  className="button-danger"
                  disabled={remove.isPending}
                  onClick={() => {
                    if (window.confirm(`Delete the AI provider ${provider.name} and its key?`)) remove.mutate(provider.id);
                  }}
                >
                  Delete {provider.name}
                </button>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

function AddProviderForm({ orgId, onDone }: { orgId: string; onDone: () => void }) {
  const add = useAddAiProvider(orgId);
  const [provider, setProvider] = useState<Schemas['CreateAiProvider']['provider']>('openai');
  const [name, setName] = useState('');
  const [defaultModel, setDefaultModel] = useState('');
  const [apiKey, setApiKey] = useState('');
  return (
    <form
      className="card stack"
      aria-label="New AI provider"
      onSubmit={(event) => {
        event.preventDefault();
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
      }}
    >
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
      <ErrorText error={add.error} />
      <div className="row">
        <button type="submit" className="button-primary" disabled={add.isPending}>
          Save AI provider
        </button>
        <button type="button" className="button-quiet" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}

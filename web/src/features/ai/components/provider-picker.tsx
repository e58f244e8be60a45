import { Link } from '@tanstack/react-router';
import { useEffect } from 'react';
import { ErrorText, Loading } from '../../../components/feedback';
import { useCallableProviders } from '../api';

type Props = { orgId: string; orgSlug: string; value: string; onChange: (providerId: string) => void };

/** The provider to generate with: the organization's default first; a note when there is none to call. */
export function ProviderPicker({ orgId, orgSlug, value, onChange }: Props) {
  const providers = useCallableProviders(orgId);
  const first = providers.data?.[0]?.id;
  useEffect(() => {
    if (!value && first) onChange(first);
  }, [value, first, onChange]);
  if (providers.isPending) return <Loading label="Loading AI providers…" />;
  if (providers.error) return <ErrorText error={providers.error} />;
  if (providers.data.length === 0) {
    return (
      <p className="muted">
        No AI provider is set up. An admin adds one under{' '}
        <Link to="/$orgSlug/settings/ai" params={{ orgSlug }}>
          AI providers
        </Link>
        .
      </p>
    );
  }
  return (
    <label className="field">
      AI provider
      <select value={value} onChange={(event) => onChange(event.target.value)}>
        {providers.data.map((provider) => (
          <option key={provider.id} value={provider.id}>
            {provider.name}
            {provider.model ? ` (${provider.model})` : ''}
          </option>
        ))}
      </select>
    </label>
  );
}

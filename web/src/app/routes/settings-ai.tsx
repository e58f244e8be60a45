import { Link } from '@tanstack/react-router';
import { PageHeader } from '../../components/page';
import { SettingsBackLink } from '../../components/settings-back-link';
import { usePlanFeatures } from '../../features/admin/api';
import '../../features/admin/admin.css';
import { AiProvidersSection } from '../../features/admin/components/ai-providers-section';
import { IntegrationsSection } from '../../features/admin/components/integrations-section';
import { WebhooksSection } from '../../features/admin/components/webhooks-section';
import { useCurrentOrg } from '../../lib/current-org';

/** `/{orgSlug}/settings/ai`: AI providers and integrations; every member reads them, admins change them (when the plan allows) and manage webhooks. */
export function AiSettingsPage() {
  const { org, can } = useCurrentOrg();
  const plan = usePlanFeatures(org.id);
  return (
    <>
      <SettingsBackLink orgSlug={org.slug} />
      <PageHeader title="AI providers and integrations">
        <Link to="/$orgSlug/settings/ai/usage" params={{ orgSlug: org.slug }}>
          AI usage and prices
        </Link>
      </PageHeader>
      <AiProvidersSection orgId={org.id} canManage={can.admin} planAllows={!plan.isPending && plan.features.has('ai_assistant')} />
      <IntegrationsSection orgId={org.id} canManage={can.admin} planAllows={!plan.isPending && plan.features.has('integrations')} />
      {can.admin ? <WebhooksSection orgId={org.id} /> : null}
    </>
  );
}

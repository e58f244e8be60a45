import { Link } from '@tanstack/react-router';
import { PageHeader } from '../../components/page';
import { usePlanFeatures } from '../../features/admin/api';
import '../../features/admin/admin.css';
import { AiProvidersSection } from '../../features/admin/components/ai-providers-section';
import { IntegrationsSection } from '../../features/admin/components/integrations-section';
import { useCurrentOrg } from '../../lib/current-org';

/** `/{orgSlug}/settings/ai`: AI providers and integrations; every member reads them, admins change them (when the plan allows). */
export function AiSettingsPage() {
  const { org, can } = useCurrentOrg();
  const plan = usePlanFeatures(org.id);
  return (
    <>
      <p>
        <Link to="/$orgSlug/settings" params={{ orgSlug: org.slug }}>
          ← Settings
        </Link>
      </p>
      <PageHeader title="AI providers and integrations" />
      <AiProvidersSection orgId={org.id} canManage={can.admin} planAllows={!plan.isPending && plan.features.has('ai_assistant')} />
      <IntegrationsSection orgId={org.id} canManage={can.admin} planAllows={!plan.isPending && plan.features.has('integrations')} />
    </>
  );
}

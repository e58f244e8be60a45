import { PageHeader } from '../../components/page';
import { SettingsBackLink } from '../../components/settings-back-link';
import '../../features/ai/ai.css';
import { BudgetSection } from '../../features/ai/components/budget-section';
import { GenerationsThisMonth } from '../../features/ai/components/generations-this-month';
import { PriceTable } from '../../features/ai/components/price-table';
import { AiUsageSection } from '../../features/insights/components/ai-usage-section';
import '../../features/insights/insights.css';
import { useCurrentOrg } from '../../lib/current-org';

/** `/{orgSlug}/settings/ai/usage`: the token budget and this month's use of it, usage per month, the price table, and this month's generations. Admins change the budget and prices. */
export function AiUsagePage() {
  const { org, can } = useCurrentOrg();
  return (
    <>
      <SettingsBackLink orgSlug={org.slug} />
      <PageHeader title="AI usage and prices" />
      <BudgetSection org={org} canManage={can.admin} />
      <AiUsageSection orgId={org.id} />
      <PriceTable orgId={org.id} canManage={can.admin} />
      <GenerationsThisMonth orgId={org.id} />
    </>
  );
}

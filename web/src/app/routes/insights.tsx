import { getRouteApi } from '@tanstack/react-router';
import { ErrorText, Loading } from '../../components/feedback';
import { PageHeader } from '../../components/page';
import { AiUsageSection } from '../../features/insights/components/ai-usage-section';
import { ForecastSection } from '../../features/insights/components/forecast-section';
import { GapsSection } from '../../features/insights/components/gaps-section';
import '../../features/insights/insights.css';
import { useProjectByKey } from '../../features/projects/api';
import { useCurrentOrg } from '../../lib/current-org';
import { NotFoundPage } from './not-found';

const route = getRouteApi('/$orgSlug/projects/$key/insights');

/** `/{orgSlug}/projects/{KEY}/insights`: the delivery forecast, the gaps, and the organization's AI usage. */
export function InsightsPage() {
  const { key } = route.useParams();
  const { org, can } = useCurrentOrg();
  const { project, ...projects } = useProjectByKey(org.id, key);
  if (projects.isPending) return <Loading label="Loading insights…" />;
  if (projects.error) return <ErrorText error={projects.error} />;
  if (!project) return <NotFoundPage />;
  const canWrite = can.write && project.archivedAt === null;
  return (
    <>
      <PageHeader title={`Insights: ${project.name} (${project.key})`} />
      <div className="insight-grid">
        <ForecastSection orgId={org.id} projectId={project.id} projectName={project.name} canWrite={canWrite} />
        <AiUsageSection orgId={org.id} />
      </div>
      <GapsSection orgId={org.id} projectId={project.id} canWrite={canWrite} />
    </>
  );
}

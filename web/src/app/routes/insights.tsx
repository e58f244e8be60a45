import { getRouteApi } from '@tanstack/react-router';
import { AiUsageSection } from '../../features/insights/components/ai-usage-section';
import { ForecastSection } from '../../features/insights/components/forecast-section';
import { GapsSection } from '../../features/insights/components/gaps-section';
import '../../features/insights/insights.css';
import { useCurrentOrg } from '../../lib/current-org';
import { ProjectScreen } from './project-scope';

const route = getRouteApi('/$orgSlug/projects/$key/insights');

/** `/{orgSlug}/projects/{KEY}/insights`: the delivery forecast, the gaps, and the organization's AI usage. */
export function InsightsPage() {
  const { key } = route.useParams();
  const { org } = useCurrentOrg();
  return (
    <ProjectScreen projectKey={key} title={(project) => `Insights: ${project.name} (${project.key})`}>
      {(project, access) => {
        const canWrite = access.write && project.archivedAt === null;
        return (
          <>
            <div className="insight-grid">
              <ForecastSection orgId={org.id} projectId={project.id} projectName={project.name} canWrite={canWrite} />
              <AiUsageSection orgId={org.id} />
            </div>
            <GapsSection orgId={org.id} projectId={project.id} canWrite={canWrite} />
          </>
        );
      }}
    </ProjectScreen>
  );
}

import { getRouteApi } from '@tanstack/react-router';
import { ActivityFeed } from '../../features/activity/components/activity-feed';
import { useCurrentOrg } from '../../lib/current-org';
import { ProjectScreen } from './project-scope';

const route = getRouteApi('/$orgSlug/projects/$key/activity');

/** `/{orgSlug}/projects/{KEY}/activity`: who did what in the project, newest first. */
export function ActivityPage() {
  const { key } = route.useParams();
  const { org } = useCurrentOrg();
  return (
    <ProjectScreen projectKey={key} title={(project) => `Activity: ${project.name} (${project.key})`}>
      {(project) => <ActivityFeed orgId={org.id} orgSlug={org.slug} projectId={project.id} projectKey={project.key} />}
    </ProjectScreen>
  );
}

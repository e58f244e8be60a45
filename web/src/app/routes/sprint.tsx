import { getRouteApi } from '@tanstack/react-router';
import { ErrorText, Loading } from '../../components/feedback';
import { SprintSummary } from '../../features/ai/components/sprint-summary';
import { useSprints } from '../../features/planning/api';
import { SprintList, SprintView } from '../../features/planning/components/sprint-view';
import { type Project, useProjectByKey } from '../../features/projects/api';
import { useCurrentOrg } from '../../lib/current-org';
import { NotFoundPage } from './not-found';
import { ProjectScreen } from './project-scope';

const sprintsRoute = getRouteApi('/$orgSlug/projects/$key/sprints');
const sprintRoute = getRouteApi('/$orgSlug/projects/$key/sprints/$sprintId');

/** `/{orgSlug}/projects/{KEY}/sprints`: every sprint of the project. */
export function SprintsPage() {
  const { key } = sprintsRoute.useParams();
  const { org } = useCurrentOrg();
  return (
    <ProjectScreen projectKey={key} title={(project) => `${project.name} sprints`}>
      {(project) => <AllSprints project={project} orgId={org.id} orgSlug={org.slug} />}
    </ProjectScreen>
  );
}

function AllSprints({ project, orgId, orgSlug }: { project: Project; orgId: string; orgSlug: string }) {
  const sprints = useSprints(orgId, project.id);
  if (sprints.isPending) return <Loading label="Loading sprints…" />;
  if (sprints.error) return <ErrorText error={sprints.error} />;
  return <SprintList orgSlug={orgSlug} projectKey={project.key} sprints={sprints.data} />;
}

/** `/{orgSlug}/projects/{KEY}/sprints/{sprintId}`: the sprint's burndown, velocity and tasks. */
export function SprintPage() {
  const { key, sprintId } = sprintRoute.useParams();
  const { org } = useCurrentOrg();
  // The same cached list ProjectScreen reads: the sprint's name is the page's heading.
  const { project, isPending, error } = useProjectByKey(org.id, key);
  const sprints = useSprints(org.id, project?.id);
  const sprint = sprints.data?.find((candidate) => candidate.id === sprintId);
  if (isPending) return <Loading label="Loading the sprint…" />;
  if (error) return <ErrorText error={error} />;
  if (!project) return <NotFoundPage />;
  if (sprints.isPending) return <Loading label="Loading the sprint…" />;
  if (sprints.error) return <ErrorText error={sprints.error} />;
  if (!sprint) return <NotFoundPage />;
  const live = project.archivedAt === null;
  return (
    <ProjectScreen projectKey={key} title={() => sprint.name}>
      {(_, access) => (
        <>
          <SprintView orgId={org.id} orgSlug={org.slug} projectId={project.id} sprint={sprint} sprints={sprints.data} canWrite={access.write && live} />
          {access.write && live ? <SprintSummary key={sprint.id} orgId={org.id} orgSlug={org.slug} projectId={project.id} sprintId={sprint.id} sprintName={sprint.name} /> : null}
        </>
      )}
    </ProjectScreen>
  );
}

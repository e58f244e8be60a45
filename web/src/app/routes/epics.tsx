import { getRouteApi } from '@tanstack/react-router';
import { ErrorText, Loading } from '../../components/feedback';
import { useEpics } from '../../features/epics/api';
import { EpicDetail, EpicsView } from '../../features/epics/components/epics-view';
import { useProjectByKey } from '../../features/projects/api';
import { useCurrentOrg } from '../../lib/current-org';
import { NotFoundPage } from './not-found';
import { ProjectScreen } from './project-scope';

const epicsRoute = getRouteApi('/$orgSlug/projects/$key/epics');
const epicRoute = getRouteApi('/$orgSlug/projects/$key/epics/$epicId');

/** `/{orgSlug}/projects/{KEY}/epics`: the epics with their progress. */
export function EpicsPage() {
  const { key } = epicsRoute.useParams();
  const { org } = useCurrentOrg();
  return (
    <ProjectScreen projectKey={key} title={(project) => `${project.name} epics`}>
      {(project, access) => (
        <EpicsView orgId={org.id} orgSlug={org.slug} projectId={project.id} projectKey={project.key} canWrite={access.write && project.archivedAt === null} />
      )}
    </ProjectScreen>
  );
}

/** `/{orgSlug}/projects/{KEY}/epics/{epicId}`: one epic, its progress and its tasks. */
export function EpicPage() {
  const { key, epicId } = epicRoute.useParams();
  const { org } = useCurrentOrg();
  const { project, isPending, error } = useProjectByKey(org.id, key);
  const epics = useEpics(org.id, project?.id);
  const epic = epics.data?.find((candidate) => candidate.id === epicId);
  if (isPending) return <Loading label="Loading the epic…" />;
  if (error) return <ErrorText error={error} />;
  if (!project) return <NotFoundPage />;
  if (epics.isPending) return <Loading label="Loading the epic…" />;
  if (epics.error) return <ErrorText error={epics.error} />;
  if (!epic) return <NotFoundPage />;
  return (
    <ProjectScreen projectKey={key} title={() => epic.title}>
      {(_, access) => <EpicDetail orgId={org.id} orgSlug={org.slug} projectId={project.id} canWrite={access.write && project.archivedAt === null} epic={epic} />}
    </ProjectScreen>
  );
}

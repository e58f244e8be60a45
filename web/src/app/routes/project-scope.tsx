import { ErrorText, Loading } from '../../components/feedback';
import { PageHeader } from '../../components/page';
import { ProjectTabs } from '../../components/project-tabs';
import { type Project, useProjectByKey, useProjectPermissions } from '../../features/projects/api';
import { PrivateMarker } from '../../features/projects/components/visibility';
import { useCurrentOrg } from '../../lib/current-org';
import { NotFoundPage } from './not-found';

type ProjectScreenProps = {
  projectKey: string;
  /** The page's heading, from the project (e.g. "Fleet Control backlog"). */
  title: (project: Project) => React.ReactNode;
  actions?: (project: Project) => React.ReactNode;
  /** The screen, told what the caller's organization and project roles let them change here. */
  children: (project: Project, access: ProjectAccess) => React.ReactNode;
};

export type ProjectAccess = ReturnType<typeof useProjectPermissions>;

/**
 * A project's planning screen: the project resolved from the key in the URL (another
 * organization's key is "not found"), its heading and its tabs above the screen, and what the
 * caller may change in it (a project viewer nothing, whatever their organization role).
 */
export function ProjectScreen({ projectKey, title, actions, children }: ProjectScreenProps) {
  const { org } = useCurrentOrg();
  const { project, isPending, error } = useProjectByKey(org.id, projectKey);
  const access = useProjectPermissions(org.id, project?.id);
  if (isPending) return <Loading label="Loading the project…" />;
  if (error) return <ErrorText error={error} />;
  if (!project) return <NotFoundPage />;
  return (
    <div className="project-page">
      <PageHeader title={title(project)}>
        <PrivateMarker project={project} />
        {actions?.(project)}
      </PageHeader>
      <ProjectTabs orgSlug={org.slug} projectKey={project.key} />
      {children(project, access)}
    </div>
  );
}

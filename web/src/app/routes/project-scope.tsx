import { ErrorText, Loading } from '../../components/feedback';
import { PageHeader } from '../../components/page';
import { ProjectTabs } from '../../components/project-tabs';
import { type Project, useProjectByKey } from '../../features/projects/api';
import { useCurrentOrg } from '../../lib/current-org';
import { NotFoundPage } from './not-found';

type ProjectScreenProps = {
  projectKey: string;
  /** The page's heading, from the project (e.g. "Fleet Control backlog"). */
  title: (project: Project) => React.ReactNode;
  actions?: (project: Project) => React.ReactNode;
  children: (project: Project) => React.ReactNode;
};

/**
 * A project's planning screen: the project resolved from the key in the URL (another
 * organization's key is "not found"), its heading and its tabs above the screen.
 */
export function ProjectScreen({ projectKey, title, actions, children }: ProjectScreenProps) {
  const { org } = useCurrentOrg();
  const { project, isPending, error } = useProjectByKey(org.id, projectKey);
  if (isPending) return <Loading label="Loading the project…" />;
  if (error) return <ErrorText error={error} />;
  if (!project) return <NotFoundPage />;
  return (
    <div className="project-page">
      <PageHeader title={title(project)}>{actions?.(project)}</PageHeader>
      <ProjectTabs orgSlug={org.slug} projectKey={project.key} />
      {children(project)}
    </div>
  );
}

import { Link, getRouteApi, useNavigate } from '@tanstack/react-router';
import { ErrorText, Loading } from '../../components/feedback';
import { PageHeader } from '../../components/page';
import { useMembers } from '../../features/members/api';
import { type Project, useProjectByKey, useProjectPermissions } from '../../features/projects/api';
import { ProjectLifecycle } from '../../features/projects/components/danger-zone';
import { ProjectDetailsForm } from '../../features/projects/components/project-details-form';
import { ProjectMembersSection } from '../../features/projects/components/project-members-section';
import { PrivateMarker } from '../../features/projects/components/visibility';
import type { Permissions } from '../../lib/permissions';
import { useCurrentOrg } from '../../lib/current-org';
import { NotFoundPage } from './not-found';

const route = getRouteApi('/$orgSlug/projects/$key/settings');

/** `/{orgSlug}/projects/{KEY}/settings`: details, members, archive and delete. */
export function ProjectSettingsPage() {
  const { key } = route.useParams();
  const { org, can } = useCurrentOrg();
  const navigate = useNavigate();
  const { project, isPending, error } = useProjectByKey(org.id, key);
  const members = useMembers(org.id);

  if (isPending) return <Loading label="Loading the project…" />;
  if (error) return <ErrorText error={error} />;
  if (!project) return <NotFoundPage />;
  return <ProjectSettings project={project} can={can} people={members.data ?? []} onDeleted={() => void navigate({ to: '/$orgSlug/projects', params: { orgSlug: org.slug } })} />;
}

type Person = { userId: string; name: string; email: string };

/** The settings of a project the caller may see, with what their project role lets them change. */
function ProjectSettings({ project, can, people, onDeleted }: { project: Project; can: Permissions; people: Person[]; onDeleted: () => void }) {
  const { org } = useCurrentOrg();
  const inProject = useProjectPermissions(org.id, project.id);
  return (
    <>
      <p className="breadcrumbs">
        <Link to="/$orgSlug/projects" params={{ orgSlug: org.slug }}>
          Projects
        </Link>{' '}
        /{' '}
        <Link to="/$orgSlug/projects/$key" params={{ orgSlug: org.slug, key: project.key }}>
          {project.key} board
        </Link>
      </p>
      <PageHeader title={`${project.name} settings`} />
      <PrivateMarker project={project} />
      <section className="section" aria-label="Details">
        <h2>Details</h2>
        <ProjectDetailsForm key={project.id} orgId={org.id} project={project} canWrite={inProject.write} canManage={inProject.manage} />
      </section>
      {inProject.write && project.archivedAt === null ? (
        <section className="section" aria-label="Import">
          <h2>Import</h2>
          <p>
            <Link to="/$orgSlug/projects/$key/import" params={{ orgSlug: org.slug, key: project.key }}>
              Import tasks from a CSV file
            </Link>{' '}
            (Jira’s or Linear’s export, or any CSV with a column mapping).
          </p>
        </section>
      ) : null}
      <ProjectMembersSection orgId={org.id} projectId={project.id} people={people} canWrite={inProject.manage} />
      <ProjectLifecycle
        orgId={org.id}
        project={project}
        canWrite={inProject.write}
        canDelete={can.admin}
        onDeleted={onDeleted}
      />
    </>
  );
}

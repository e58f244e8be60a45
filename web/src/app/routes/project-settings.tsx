import { Link, getRouteApi, useNavigate } from '@tanstack/react-router';
import { ErrorText, Loading } from '../../components/feedback';
import { PageHeader } from '../../components/page';
import { useMembers } from '../../features/members/api';
import { useProjectByKey } from '../../features/projects/api';
import { ProjectLifecycle } from '../../features/projects/components/danger-zone';
import { ProjectDetailsForm } from '../../features/projects/components/project-details-form';
import { ProjectMembersSection } from '../../features/projects/components/project-members-section';
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
      <section className="section" aria-label="Details">
        <h2>Details</h2>
        <ProjectDetailsForm key={project.id} orgId={org.id} project={project} canWrite={can.write} />
      </section>
      <ProjectMembersSection orgId={org.id} projectId={project.id} people={members.data ?? []} canWrite={can.write} />
      <ProjectLifecycle
        orgId={org.id}
        project={project}
        canWrite={can.write}
        canDelete={can.admin}
        onDeleted={() => void navigate({ to: '/$orgSlug/projects', params: { orgSlug: org.slug } })}
      />
    </>
  );
}

import { Link, getRouteApi, useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { EmptyState, ErrorText, Loading } from '../../components/feedback';
import { PageHeader } from '../../components/page';
import { useProjects } from '../../features/projects/api';
import { CreateProjectForm } from '../../features/projects/components/create-project-form';
import { ProjectList } from '../../features/projects/components/project-list';
import { useCurrentOrg } from '../../lib/current-org';

const route = getRouteApi('/$orgSlug/projects');

/** `/{orgSlug}/projects`: live projects, or archived ones with `?archived=true`. */
export function ProjectsPage() {
  const { org, can } = useCurrentOrg();
  const { archived = false } = route.useSearch();
  const projects = useProjects(org.id);
  const navigate = useNavigate();
  const [creating, setCreating] = useState(false);
  const shown = projects.data?.filter((project) => (project.archivedAt !== null) === archived) ?? [];
  const archivedCount = projects.data?.filter((project) => project.archivedAt !== null).length ?? 0;

  return (
    <>
      <PageHeader title={archived ? 'Archived projects' : 'Projects'}>
        {can.write && !archived && !creating ? (
          <button type="button" className="button-primary" onClick={() => setCreating(true)}>
            New project
          </button>
        ) : null}
      </PageHeader>
      {creating ? (
        <CreateProjectForm
          orgId={org.id}
          onCancel={() => setCreating(false)}
          onCreated={(project) => void navigate({ to: '/$orgSlug/projects/$key', params: { orgSlug: org.slug, key: project.key } })}
        />
      ) : null}
      {projects.isPending ? <Loading label="Loading projects…" /> : null}
      <ErrorText error={projects.error} />
      {projects.data && shown.length === 0 ? (
        archived ? (
          <EmptyState title="No archived projects">Projects you archive appear here, and can be brought back.</EmptyState>
        ) : (
          <EmptyState title="No projects yet">
            {can.write ? 'Create the first project with “New project” above.' : 'Ask a member of this organization to create a project.'}
          </EmptyState>
        )
      ) : null}
      {shown.length > 0 ? <ProjectList orgId={org.id} orgSlug={org.slug} projects={shown} /> : null}
      <p>
        {archived ? (
          <Link to="/$orgSlug/projects" params={{ orgSlug: org.slug }}>
            Back to live projects
          </Link>
        ) : (
          <Link to="/$orgSlug/projects" params={{ orgSlug: org.slug }} search={{ archived: true }}>
            Archived projects ({archivedCount})
          </Link>
        )}
      </p>
    </>
  );
}

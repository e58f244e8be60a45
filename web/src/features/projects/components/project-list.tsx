import { Link } from '@tanstack/react-router';
import { ErrorText } from '../../../components/feedback';
import { type Project, useSetArchived } from '../api';
import { PrivateMarker } from './visibility';

export const STATUS_LABELS: Record<Project['status'], string> = { planning: 'Planning', active: 'Active', on_hold: 'On hold', completed: 'Completed' };

/**
 * Projects as a list of cards: the link opens the board; those who may write to a project archive
 * and bring it back, as each listed project says (its `permissions`), with no request per card.
 */
export function ProjectList({ orgId, orgSlug, projects }: { orgId: string; orgSlug: string; projects: Project[] }) {
  return (
    <ul className="project-list" aria-label="Projects">
      {projects.map((project) => (
        <ProjectCard key={project.id} orgId={orgId} orgSlug={orgSlug} project={project} />
      ))}
    </ul>
  );
}

function ProjectCard({ orgId, orgSlug, project }: { orgId: string; orgSlug: string; project: Project }) {
  const setArchived = useSetArchived(orgId);
  const archived = project.archivedAt !== null;
  return (
    <li className="project-card">
      <div className="project-card-title">
        <span className="key-badge">{project.key}</span>
        <PrivateMarker project={project} />
        <Link to="/$orgSlug/projects/$key" params={{ orgSlug, key: project.key }}>
          {project.name}
        </Link>
      </div>
      {project.description ? <p className="project-description">{project.description}</p> : null}
      <p className="muted">
        {archived ? 'Archived' : STATUS_LABELS[project.status]}
        {project.endDate ? ` · due ${project.endDate}` : ''}
      </p>
      <div className="row project-card-actions">
        <Link to="/$orgSlug/projects/$key/settings" params={{ orgSlug, key: project.key }} aria-label={`Settings of ${project.name}`}>
          Settings
        </Link>
        {project.permissions.write ? (
          <button
            type="button"
            className="button-quiet"
            aria-label={`${archived ? 'Unarchive' : 'Archive'} ${project.name}`}
            disabled={setArchived.isPending}
            onClick={() => setArchived.mutate({ projectId: project.id, archived: !archived })}
          >
            {archived ? 'Unarchive' : 'Archive'}
          </button>
        ) : null}
      </div>
      <ErrorText error={setArchived.error} />
    </li>
  );
}

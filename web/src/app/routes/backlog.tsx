import { getRouteApi } from '@tanstack/react-router';
import { useMemo, useState } from 'react';
import { ErrorText, Loading } from '../../components/feedback';
import { BACKLOG, openSprints, useLanes, useSprints } from '../../features/planning/api';
import { Backlog } from '../../features/planning/components/backlog';
import { NewSprintForm } from '../../features/planning/components/sprint-controls';
import type { Project } from '../../features/projects/api';
import { useCurrentOrg } from '../../lib/current-org';
import { type ProjectAccess, ProjectScreen } from './project-scope';

const route = getRouteApi('/$orgSlug/projects/$key/backlog');

/** `/{orgSlug}/projects/{KEY}/backlog`: open sprints above the backlog, planned by drag or menu. */
export function BacklogPage() {
  const { key } = route.useParams();
  return (
    <ProjectScreen projectKey={key} title={(project) => `${project.name} backlog`}>
      {(project, access) => <Planning project={project} access={access} />}
    </ProjectScreen>
  );
}

function Planning({ project, access }: { project: Project; access: ProjectAccess }) {
  const { org } = useCurrentOrg();
  const [creating, setCreating] = useState(false);
  const sprints = useSprints(org.id, project.id);
  const open = useMemo(() => (sprints.data ? openSprints(sprints.data) : undefined), [sprints.data]);
  const lanes = useLanes(org.id, project.id, useMemo(() => open && [...open.map((sprint) => sprint.id), BACKLOG], [open]));
  const canWrite = access.write && project.archivedAt === null;
  return (
    <>
      {project.archivedAt !== null ? <p className="muted">This project is archived: its backlog is read-only until it is brought back.</p> : null}
      {canWrite && !creating ? (
        <div className="row">
          <button type="button" className="button-primary" onClick={() => setCreating(true)}>
            New sprint
          </button>
        </div>
      ) : null}
      {creating && sprints.data ? (
        <NewSprintForm orgId={org.id} projectId={project.id} projectKey={project.key} sprints={sprints.data} onDone={() => setCreating(false)} />
      ) : null}
      <ErrorText error={sprints.error ?? lanes.error} />
      {sprints.isPending || lanes.isPending || lanes.isPlaceholderData ? <Loading label="Loading the backlog…" /> : null}
      {open && lanes.data ? (
        // Nothing moves while the lanes on screen are the previous ones.
        <Backlog orgId={org.id} orgSlug={org.slug} projectId={project.id} projectKey={project.key} sprints={open} lanes={lanes.data} canWrite={canWrite && !lanes.isPlaceholderData} />
      ) : null}
    </>
  );
}

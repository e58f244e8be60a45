import { getRouteApi } from '@tanstack/react-router';
import { useCallback } from 'react';
import { ErrorText, Loading } from '../../components/feedback';
import { PageHeader } from '../../components/page';
import { ProjectTabs } from '../../components/project-tabs';
import { useBoard } from '../../features/board/api';
import { Board } from '../../features/board/components/board';
import { FilterBar } from '../../features/board/components/filter-bar';
import type { BoardSearch } from '../../features/board/filters';
import '../../features/board/board.css';
import { useProjectByKey, useProjectPermissions } from '../../features/projects/api';
import { PrivateMarker } from '../../features/projects/components/visibility';
import { useTaskChoices } from '../../features/tasks/api';
import { useCurrentOrg } from '../../lib/current-org';
import { NotFoundPage } from './not-found';

const route = getRouteApi('/$orgSlug/projects/$key');

/** `/{orgSlug}/projects/{KEY}`: the project's board, filtered by the URL's search parameters. */
export function BoardPage() {
  const { key } = route.useParams();
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const { org } = useCurrentOrg();
  const projects = useProjectByKey(org.id, key);
  const project = projects.project;
  const choices = useTaskChoices(org.id, project?.id);
  const board = useBoard(org.id, project?.id, search);
  const access = useProjectPermissions(org.id, project?.id);
  const setSearch = useCallback((next: BoardSearch) => void navigate({ search: next, replace: true }), [navigate]);

  if (projects.isPending) return <Loading label="Loading the board…" />;
  if (projects.error) return <ErrorText error={projects.error} />;
  if (!project) return <NotFoundPage />;
  const archived = project.archivedAt !== null;
  return (
    <div className="board-page">
      <PageHeader title={`${project.name} (${project.key})`}>
        <PrivateMarker project={project} />
      </PageHeader>
      <ProjectTabs orgSlug={org.slug} projectKey={project.key} />
      {archived ? <p className="muted">This project is archived: its board is read-only until it is brought back.</p> : null}
      <FilterBar search={search} choices={choices} onChange={setSearch} />
      <ErrorText error={board.error ?? choices.error} />
      {board.isPending || board.isPlaceholderData ? <Loading label="Loading tasks…" /> : null}
      {board.data ? (
        <Board orgId={org.id} orgSlug={org.slug} projectId={project.id} search={search} columns={board.data} canWrite={access.write && !archived} />
      ) : null}
    </div>
  );
}

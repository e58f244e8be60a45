import { Link } from '@tanstack/react-router';

/** A project's screens, under its heading: the board, the backlog, its sprints, its epics, its insights, its AI assistant and its activity. */
export function ProjectTabs({ orgSlug, projectKey }: { orgSlug: string; projectKey: string }) {
  const params = { orgSlug, key: projectKey };
  return (
    <nav className="project-tabs" aria-label="Project">
      <Link to="/$orgSlug/projects/$key" params={params} activeOptions={{ exact: true, includeSearch: false }}>
        Board
      </Link>
      <Link to="/$orgSlug/projects/$key/backlog" params={params}>
        Backlog
      </Link>
      <Link to="/$orgSlug/projects/$key/sprints" params={params}>
        Sprints
      </Link>
      <Link to="/$orgSlug/projects/$key/epics" params={params}>
        Epics
      </Link>
      <Link to="/$orgSlug/projects/$key/insights" params={params}>
        Insights
      </Link>
      <Link to="/$orgSlug/projects/$key/assistant" params={params}>
        Assistant
      </Link>
      <Link to="/$orgSlug/projects/$key/activity" params={params}>
        Activity
      </Link>
    </nav>
  );
}

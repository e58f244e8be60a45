/**
 * Every soft-deleting resource an admin can restore, described once so the routes, the restore
 * rules and `tenantry db purge` agree. Project assets are not here: deleting one removes its
 * bytes at once, so there is nothing to restore (the purge still removes their rows).
 */
export type RestorableResource = {
  /** The table; the name is fixed here, never taken from a request. */
  table: 'projects' | 'epics' | 'tasks' | 'comments' | 'documents' | 'gaps';
  /** Path segment under `/orgs/{orgId}` and the word messages use. */
  segment: string;
  noun: string;
  /** The row this one belongs to, which must be live for the restore to make sense. */
  parent?: { column: string; table: RestorableResource['table']; noun: string };
  /** Values a live row must not share (the partial unique indexes of migration 0011), within `scope` columns. */
  unique?: { column: string; field: string; scope: string[] }[];
};

export const RESTORABLE: readonly RestorableResource[] = [
  {
    table: 'projects',
    segment: 'projects',
    noun: 'project',
    unique: [
      { column: 'name', field: 'name', scope: [] },
      { column: 'key', field: 'key', scope: [] },
    ],
  },
  { table: 'epics', segment: 'epics', noun: 'epic', parent: { column: 'project_id', table: 'projects', noun: 'project' } },
  { table: 'tasks', segment: 'tasks', noun: 'task', parent: { column: 'project_id', table: 'projects', noun: 'project' } },
  { table: 'comments', segment: 'comments', noun: 'comment', parent: { column: 'task_id', table: 'tasks', noun: 'task' } },
  {
    table: 'documents',
    segment: 'documents',
    noun: 'document',
    parent: { column: 'project_id', table: 'projects', noun: 'project' },
    unique: [{ column: 'slug', field: 'slug', scope: ['project_id'] }],
  },
  { table: 'gaps', segment: 'gaps', noun: 'gap', parent: { column: 'project_id', table: 'projects', noun: 'project' } },
];

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type Schemas, api, unwrap } from '../../api/client';

export type ImportRequest = Schemas['ImportTasks'];
export type ImportResult = Schemas['ImportTasksResult'];
export type ImportField = ImportResult['columns'][string];
export type Mapping = Record<string, ImportField>;

export const IMPORT_FIELDS: readonly ImportField[] = ['title', 'description', 'status', 'priority', 'type', 'storyPoints', 'dueDate', 'assignee', 'ignore'];
export const FIELD_LABEL: Record<ImportField, string> = {
  title: 'Title',
  description: 'Description',
  status: 'Status',
  priority: 'Priority',
  type: 'Type',
  storyPoints: 'Story points',
  dueDate: 'Due date',
  assignee: 'Assignee (email)',
  ignore: 'Ignore',
};

/** Where the server would send each column of a header line, known even when the dry run finds problems. */
export function useImportColumns(orgId: string, projectId: string) {
  return useMutation({
    mutationFn: async (headers: string[]) =>
      unwrap(api.POST('/api/v1/orgs/{orgId}/projects/{projectId}/tasks/import/columns', { params: { path: { orgId, projectId } }, body: { headers } })),
  });
}

/** One call of the import, a dry run or the real one (the body says which). */
export function useTaskImport(orgId: string, projectId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (body: ImportRequest) =>
      unwrap(api.POST('/api/v1/orgs/{orgId}/projects/{projectId}/tasks/import', { params: { path: { orgId, projectId } }, body })),
    // New tasks show on the board, backlog, epics and insights alike: refresh the organization's lists.
    onSuccess: async (result) => {
      if (!result.dryRun) await client.invalidateQueries({ queryKey: ['orgs', orgId] });
    },
  });
}

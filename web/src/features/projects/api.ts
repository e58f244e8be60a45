import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type Schemas, api, unwrap } from '../../api/client';
import { allPages } from '../../api/pages';

export type Project = Schemas['Project'];

/** Every project of the organization, archived ones included; screens filter what they show. */
export const projectsQuery = (orgId: string) =>
  queryOptions({
    queryKey: ['orgs', orgId, 'projects'],
    queryFn: async () =>
      allPages((cursor) =>
        unwrap(api.GET('/api/v1/orgs/{orgId}/projects', { params: { path: { orgId }, query: { limit: 100, includeArchived: 'true', cursor } } })),
      ),
  });

export function useProjects(orgId: string) {
  return useQuery(projectsQuery(orgId));
}

/**
 * The project whose key is in the URL (`/acme/projects/WEB`), from the organization's list.
 * `project` is null once loaded when the key is not in this organization: show "not found".
 */
export function useProjectByKey(orgId: string, key: string) {
  const query = useProjects(orgId);
  const project = query.data?.find((candidate) => candidate.key === key.toUpperCase()) ?? null;
  return { ...query, project };
}

function useInvalidateProjects(orgId: string) {
  const client = useQueryClient();
  return async () => client.invalidateQueries({ queryKey: ['orgs', orgId, 'projects'] });
}

export function useCreateProject(orgId: string) {
  const invalidate = useInvalidateProjects(orgId);
  return useMutation({
    mutationFn: async (body: Schemas['CreateProject']) => unwrap(api.POST('/api/v1/orgs/{orgId}/projects', { params: { path: { orgId } }, body })),
    onSuccess: invalidate,
  });
}

export function useUpdateProject(orgId: string, projectId: string) {
  const invalidate = useInvalidateProjects(orgId);
  return useMutation({
    mutationFn: async (body: Schemas['UpdateProject']) =>
      unwrap(api.PATCH('/api/v1/orgs/{orgId}/projects/{id}', { params: { path: { orgId, id: projectId } }, body })),
    onSuccess: invalidate,
  });
}

/** Archive or bring back a project. */
export function useSetArchived(orgId: string) {
  const invalidate = useInvalidateProjects(orgId);
  return useMutation({
    mutationFn: async ({ projectId, archived }: { projectId: string; archived: boolean }) => {
      const path = { orgId, id: projectId };
      if (archived) return unwrap(api.POST('/api/v1/orgs/{orgId}/projects/{id}/archive', { params: { path } }));
      return unwrap(api.POST('/api/v1/orgs/{orgId}/projects/{id}/unarchive', { params: { path } }));
    },
    onSuccess: invalidate,
  });
}

export function useDeleteProject(orgId: string) {
  const invalidate = useInvalidateProjects(orgId);
  return useMutation({
    mutationFn: async (projectId: string) => unwrap(api.DELETE('/api/v1/orgs/{orgId}/projects/{id}', { params: { path: { orgId, id: projectId } } })),
    onSuccess: invalidate,
  });
}

export type ProjectMember = Schemas['ProjectMember'];
export type ProjectRole = ProjectMember['role'];

export function useProjectMembers(orgId: string, projectId: string | undefined) {
  return useQuery({
    queryKey: ['orgs', orgId, 'projects', projectId, 'members'],
    enabled: projectId !== undefined,
    queryFn: async () =>
      allPages((cursor) =>
        unwrap(api.GET('/api/v1/orgs/{orgId}/projects/{projectId}/members', { params: { path: { orgId, projectId: projectId ?? '' }, query: { limit: 100, cursor } } })),
      ),
  });
}

export function useProjectMemberActions(orgId: string, projectId: string) {
  const client = useQueryClient();
  // The project list carries the caller's own project role, which a change here may be.
  const onSuccess = async () =>
    Promise.all([
      client.invalidateQueries({ queryKey: ['orgs', orgId, 'projects', projectId, 'members'] }),
      client.invalidateQueries({ queryKey: ['orgs', orgId, 'projects'], exact: true }),
    ]);
  const path = { orgId, projectId };
  return {
    add: useMutation({
      mutationFn: async (body: Schemas['AddProjectMember']) => unwrap(api.POST('/api/v1/orgs/{orgId}/projects/{projectId}/members', { params: { path }, body })),
      onSuccess,
    }),
    changeRole: useMutation({
      mutationFn: async ({ userId, role }: { userId: string; role: ProjectRole }) =>
        unwrap(api.PATCH('/api/v1/orgs/{orgId}/projects/{projectId}/members/{userId}', { params: { path: { ...path, userId } }, body: { role } })),
      onSuccess,
    }),
    remove: useMutation({
      mutationFn: async (userId: string) =>
        unwrap(api.DELETE('/api/v1/orgs/{orgId}/projects/{projectId}/members/{userId}', { params: { path: { ...path, userId } } })),
      onSuccess,
    }),
  };
}

const NO_PERMISSIONS: Project['permissions'] = { comment: false, write: false, manage: false };

/**
 * What the caller may do in one project and their project role, as the project list tells it
 * (each project carries the server's own answer, src/features/projects/permissions.ts): one
 * request for every project, shared with the screens that list them, instead of one members
 * request per project. Until the list has loaded (and for a project it does not hold), nothing
 * is offered, so a viewer never sees a control flash up that the server would refuse.
 */
export function useProjectPermissions(orgId: string, projectId: string | undefined) {
  const projects = useProjects(orgId);
  const project = projects.data?.find((candidate) => candidate.id === projectId);
  return { role: project?.myRole ?? null, ...(project?.permissions ?? NO_PERMISSIONS) };
}

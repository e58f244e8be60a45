import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type Role, type Schemas, api, unwrap } from '../../api/client';
import { allPages } from '../../api/pages';

export type Member = Schemas['Member'];
export type Invitation = Schemas['Invitation'];

export const membersQuery = (orgId: string) =>
  queryOptions({
    queryKey: ['orgs', orgId, 'members'],
    queryFn: async () =>
      allPages((cursor) => unwrap(api.GET('/api/v1/orgs/{orgId}/members', { params: { path: { orgId }, query: { limit: 100, cursor } } }))),
  });

export function useMembers(orgId: string) {
  return useQuery(membersQuery(orgId));
}

function useInvalidate(orgId: string, what: 'members' | 'invitations') {
  const client = useQueryClient();
  return async () => client.invalidateQueries({ queryKey: ['orgs', orgId, what] });
}

export function useChangeRole(orgId: string) {
  const invalidate = useInvalidate(orgId, 'members');
  return useMutation({
    mutationFn: async ({ userId, role }: { userId: string; role: Role }) =>
      unwrap(api.PATCH('/api/v1/orgs/{orgId}/members/{userId}', { params: { path: { orgId, userId } }, body: { role } })),
    onSuccess: invalidate,
  });
}

export function useRemoveMember(orgId: string) {
  const invalidate = useInvalidate(orgId, 'members');
  return useMutation({
    mutationFn: async (userId: string) => unwrap(api.DELETE('/api/v1/orgs/{orgId}/members/{userId}', { params: { path: { orgId, userId } } })),
    onSuccess: invalidate,
  });
}

/** Invitations are admin-only on the server; call this only when the caller may manage members. */
export function useInvitations(orgId: string, enabled: boolean) {
  return useQuery({
    queryKey: ['orgs', orgId, 'invitations'],
    queryFn: async () =>
      allPages((cursor) => unwrap(api.GET('/api/v1/orgs/{orgId}/invitations', { params: { path: { orgId }, query: { limit: 100, cursor } } }))),
    enabled,
  });
}

export function useCreateInvitation(orgId: string) {
  const invalidate = useInvalidate(orgId, 'invitations');
  return useMutation({
    mutationFn: async (body: Schemas['CreateInvitation']) => unwrap(api.POST('/api/v1/orgs/{orgId}/invitations', { params: { path: { orgId } }, body })),
    onSuccess: invalidate,
  });
}

export function useRevokeInvitation(orgId: string) {
  const invalidate = useInvalidate(orgId, 'invitations');
  return useMutation({
    mutationFn: async (id: string) => unwrap(api.POST('/api/v1/orgs/{orgId}/invitations/{id}/revoke', { params: { path: { orgId, id } } })),
    onSuccess: invalidate,
  });
}

/** The link someone opens to accept: the invitation's own page on this site. */
export function invitationLink(id: string): string {
  return `${window.location.origin}/invitations/${id}`;
}

export function useAcceptInvitation() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (id: string) => unwrap(api.POST('/api/v1/invitations/{id}/accept', { params: { path: { id } } })),
    // A new membership: the organization list (and so the switcher) and one's open invitations change.
    onSuccess: async () => {
      await Promise.all([client.invalidateQueries({ queryKey: ['organizations'] }), client.invalidateQueries({ queryKey: ['me', 'invitations'] })]);
    },
  });
}

export type MyInvitation = Schemas['MyInvitation'];

/** The signed-in person's open invitations in every organization (listed once their address is verified). */
export const myInvitationsQuery = queryOptions({
  queryKey: ['me', 'invitations'],
  queryFn: async () => unwrap(api.GET('/api/v1/me/invitations')),
});

export function useMyInvitations(enabled = true) {
  return useQuery({ ...myInvitationsQuery, enabled });
}

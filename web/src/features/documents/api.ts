import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type Schemas, api, unwrap } from '../../api/client';
import { allPages } from '../../api/pages';

export type DocumentSummary = Schemas['DocumentSummary'];
export type Document = Schemas['Document'];
export type DocumentVersionSummary = Schemas['DocumentVersionSummary'];
export type DocumentVersionDiff = Schemas['DocumentVersionDiff'];

const documentsKey = (orgId: string, projectId: string) => ['orgs', orgId, 'projects', projectId, 'documents'];

/** A project's documents, every status, or those matching a full-text search (server-side). */
export function useDocuments(orgId: string, projectId: string | undefined, q?: string) {
  return useQuery({
    queryKey: [...documentsKey(orgId, projectId ?? ''), { q: q ?? null }],
    queryFn: async () =>
      allPages((cursor) =>
        unwrap(api.GET('/api/v1/orgs/{orgId}/projects/{projectId}/documents', { params: { path: { orgId, projectId: projectId! }, query: { limit: 100, cursor, q } } })),
      ),
    enabled: projectId !== undefined,
    placeholderData: (previous) => previous,
  });
}

/** The document at `/docs/{KEY}/{slug}`: found by slug in the project's list, then read whole. */
export function useDocumentBySlug(orgId: string, projectId: string | undefined, slug: string) {
  const list = useDocuments(orgId, projectId);
  const summary = list.data?.find((candidate) => candidate.slug === slug);
  const document = useQuery({
    queryKey: ['orgs', orgId, 'documents', summary?.id],
    queryFn: async () => unwrap(api.GET('/api/v1/orgs/{orgId}/documents/{id}', { params: { path: { orgId, id: summary!.id } } })),
    enabled: summary !== undefined,
  });
  return { document: document.data ?? null, missing: list.isSuccess && !summary, isPending: list.isPending || document.isPending, error: list.error ?? document.error };
}

/** Versions and comparisons of one document; every save changes them. */
const versionsKey = (orgId: string, id: string) => ['orgs', orgId, 'document-versions', id];

function useInvalidate(orgId: string) {
  const client = useQueryClient();
  return async (document: Document) => {
    client.setQueryData(['orgs', orgId, 'documents', document.id], document);
    await Promise.all([
      client.invalidateQueries({ queryKey: documentsKey(orgId, document.projectId) }),
      client.invalidateQueries({ queryKey: versionsKey(orgId, document.id) }),
    ]);
  };
}

export function useCreateDocument(orgId: string, projectId: string) {
  const invalidate = useInvalidate(orgId);
  return useMutation({
    mutationFn: async (body: Schemas['CreateDocument']) =>
      unwrap(api.POST('/api/v1/orgs/{orgId}/projects/{projectId}/documents', { params: { path: { orgId, projectId } }, body })),
    onSuccess: invalidate,
  });
}

export function useUpdateDocument(orgId: string, id: string) {
  const invalidate = useInvalidate(orgId);
  return useMutation({
    mutationFn: async (body: Schemas['UpdateDocument']) => unwrap(api.PATCH('/api/v1/orgs/{orgId}/documents/{id}', { params: { path: { orgId, id } }, body })),
    onSuccess: invalidate,
  });
}

/** Publish or archive: the two status changes the API offers. */
export function useDocumentStatus(orgId: string, id: string) {
  const invalidate = useInvalidate(orgId);
  return useMutation({
    mutationFn: async (to: 'publish' | 'archive') =>
      unwrap(
        to === 'publish'
          ? api.POST('/api/v1/orgs/{orgId}/documents/{id}/publish', { params: { path: { orgId, id } } })
          : api.POST('/api/v1/orgs/{orgId}/documents/{id}/archive', { params: { path: { orgId, id } } }),
      ),
    onSuccess: invalidate,
  });
}

/** A document's versions, newest first, page by page. */
export function useDocumentVersions(orgId: string, id: string) {
  return useInfiniteQuery({
    queryKey: [...versionsKey(orgId, id), 'list'],
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam }) =>
      unwrap(api.GET('/api/v1/orgs/{orgId}/documents/{id}/versions', { params: { path: { orgId, id }, query: { limit: 20, cursor: pageParam } } })),
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
}

/** What changed from one version to another; asked for once both are chosen. */
export function useVersionDiff(orgId: string, id: string, range: { from: number; to: number } | null) {
  return useQuery({
    queryKey: [...versionsKey(orgId, id), 'diff', range],
    queryFn: async () =>
      unwrap(api.GET('/api/v1/orgs/{orgId}/documents/{id}/versions/diff', { params: { path: { orgId, id }, query: range! } })),
    enabled: range !== null,
  });
}

/** Puts a version's title and text back; the server records that as a new version. */
export function useRestoreVersion(orgId: string, id: string) {
  const invalidate = useInvalidate(orgId);
  return useMutation({
    mutationFn: async (version: number) =>
      unwrap(api.POST('/api/v1/orgs/{orgId}/documents/{id}/versions/{version}/restore', { params: { path: { orgId, id, version } } })),
    onSuccess: invalidate,
  });
}

export const DOCUMENT_TYPE_LABEL: Record<Document['type'], string> = {
  prd: 'PRD',
  spec: 'Specification',
  design: 'Design',
  note: 'Note',
  knowledge: 'Knowledge',
  other: 'Other',
};

export const DOCUMENT_STATUS_LABEL: Record<Document['status'], string> = { draft: 'Draft', published: 'Published', archived: 'Archived' };

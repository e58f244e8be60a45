import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type Schemas, api, unwrap } from '../../api/client';
import { allPages } from '../../api/pages';

export type DocumentSummary = Schemas['DocumentSummary'];
export type Document = Schemas['Document'];

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

function useInvalidate(orgId: string) {
  const client = useQueryClient();
  return async (document: Document) => {
    client.setQueryData(['orgs', orgId, 'documents', document.id], document);
    await client.invalidateQueries({ queryKey: documentsKey(orgId, document.projectId) });
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

export const DOCUMENT_TYPE_LABEL: Record<Document['type'], string> = {
  prd: 'PRD',
  spec: 'Specification',
  design: 'Design',
  note: 'Note',
  knowledge: 'Knowledge',
  other: 'Other',
};

export const DOCUMENT_STATUS_LABEL: Record<Document['status'], string> = { draft: 'Draft', published: 'Published', archived: 'Archived' };

import { getRouteApi, useNavigate } from '@tanstack/react-router';
import { useEffect, useState } from 'react';
import { EmptyState, ErrorText, Loading } from '../../components/feedback';
import { PageHeader } from '../../components/page';
import { useDocuments } from '../../features/documents/api';
import { DocumentList } from '../../features/documents/components/document-list';
import { NewDocumentForm } from '../../features/documents/components/new-document-form';
import { useProjectPermissions, useProjects } from '../../features/projects/api';
import { useCurrentOrg } from '../../lib/current-org';

const route = getRouteApi('/$orgSlug/docs');

/** `/{orgSlug}/docs?project=KEY&q=…`: the knowledge base of one project at a time, searchable. */
export function DocsPage() {
  const { org } = useCurrentOrg();
  const search = route.useSearch();
  const navigate = useNavigate({ from: '/$orgSlug/docs' });
  const projects = useProjects(org.id);
  const live = projects.data?.filter((project) => project.archivedAt === null) ?? [];
  const project = projects.data?.find((candidate) => candidate.key === search.project) ?? live[0];
  const documents = useDocuments(org.id, project?.id, search.q);
  const access = useProjectPermissions(org.id, project?.id);
  const [text, setText] = useState(search.q ?? '');
  const [creating, setCreating] = useState(false);

  // The search is in the URL (shareable); typing updates it after a short pause.
  useEffect(() => {
    const timer = setTimeout(() => {
      if ((search.q ?? '') !== text.trim()) void navigate({ search: (previous) => ({ ...previous, q: text.trim() || undefined }), replace: true });
    }, 250);
    return () => clearTimeout(timer);
  }, [text, search.q, navigate]);

  if (projects.isPending) return <Loading label="Loading documents…" />;
  if (projects.error) return <ErrorText error={projects.error} />;
  const writable = access.write && project !== undefined && project.archivedAt === null;
  return (
    <>
      <PageHeader title="Documents">
        {writable && !creating ? (
          <button type="button" className="button-primary" data-shortcut="create" onClick={() => setCreating(true)}>
            New document
          </button>
        ) : null}
      </PageHeader>
      {!project ? (
        <EmptyState title="No project yet.">Documents belong to a project: create one first.</EmptyState>
      ) : (
        <>
          <form className="row filter-bar" role="search" aria-label="Search documents" onSubmit={(event) => event.preventDefault()}>
            <label className="field">
              Project
              <select value={project.key} onChange={(event) => void navigate({ search: { project: event.target.value } })}>
                {(projects.data ?? []).map((candidate) => (
                  <option key={candidate.id} value={candidate.key}>
                    {candidate.name} ({candidate.key}){candidate.archivedAt ? ' (archived)' : ''}
                  </option>
                ))}
              </select>
            </label>
            <label className="field">
              Search documents
              <input type="search" value={text} maxLength={200} onChange={(event) => setText(event.target.value)} />
            </label>
          </form>
          {creating ? (
            <NewDocumentForm
              orgId={org.id}
              projectId={project.id}
              projectKey={project.key}
              onCancel={() => setCreating(false)}
              onCreated={(document) => void navigate({ to: '/$orgSlug/docs/$key/$slug', params: { orgSlug: org.slug, key: project.key, slug: document.slug } })}
            />
          ) : null}
          <ErrorText error={documents.error} />
          {documents.isPending || documents.isPlaceholderData ? <Loading label="Loading documents…" /> : null}
          {documents.data ? <DocumentList orgSlug={org.slug} projectKey={project.key} documents={documents.data} searching={Boolean(search.q)} /> : null}
        </>
      )}
    </>
  );
}

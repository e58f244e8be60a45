import { Link, getRouteApi, useNavigate } from '@tanstack/react-router';
import { ErrorText, Loading } from '../../components/feedback';
import { DocumentAssistant } from '../../features/ai/components/document-assistant';
import { useCreateDocument, useDocumentBySlug } from '../../features/documents/api';
import { DocumentView } from '../../features/documents/components/document-view';
import { useProjectByKey, useProjectPermissions } from '../../features/projects/api';
import { useCurrentOrg } from '../../lib/current-org';
import { NotFoundPage } from './not-found';

const route = getRouteApi('/$orgSlug/docs/$key/$slug');

/** `/{orgSlug}/docs/{KEY}/{slug}`: one document of a project (slugs are unique within a project). */
export function DocumentPage() {
  const { key, slug } = route.useParams();
  const { org } = useCurrentOrg();
  const navigate = useNavigate();
  const { project, ...projects } = useProjectByKey(org.id, key);
  const found = useDocumentBySlug(org.id, project?.id, slug);
  const createDraft = useCreateDocument(org.id, project?.id ?? '');
  const access = useProjectPermissions(org.id, project?.id);

  if (projects.isPending) return <Loading label="Loading the document…" />;
  if (projects.error) return <ErrorText error={projects.error} />;
  if (!project || found.missing) return <NotFoundPage />;
  if (found.error) return <ErrorText error={found.error} />;
  if (!found.document) return <Loading label="Loading the document…" />;
  const canWrite = access.write && project.archivedAt === null;
  return (
    <>
      <p>
        <Link to="/$orgSlug/docs" params={{ orgSlug: org.slug }} search={{ project: project.key }}>
          ← Documents of {project.name}
        </Link>
      </p>
      <DocumentView
        key={found.document.id}
        orgId={org.id}
        document={found.document}
        canWrite={canWrite}
        onSlugChange={(next) => void navigate({ to: '/$orgSlug/docs/$key/$slug', params: { orgSlug: org.slug, key: project.key, slug: next }, replace: true })}
      />
      {canWrite ? (
        <DocumentAssistant
          key={found.document.id}
          orgId={org.id}
          orgSlug={org.slug}
          documentId={found.document.id}
          saveDraft={{
            run: (draft) =>
              createDraft.mutate(
                { title: draft.title, content: draft.content, type: 'prd' },
                { onSuccess: (saved) => void navigate({ to: '/$orgSlug/docs/$key/$slug', params: { orgSlug: org.slug, key: project.key, slug: saved.slug } }) },
              ),
            isPending: createDraft.isPending,
            error: createDraft.error,
          }}
        />
      ) : null}
    </>
  );
}

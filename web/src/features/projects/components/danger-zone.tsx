import { useState } from 'react';
import { ErrorText } from '../../../components/feedback';
import { type Project, useDeleteProject, useSetArchived } from '../api';

/** Archive (members) and delete (admins), each behind a clear second step for deletion. */
export function ProjectLifecycle({ orgId, project, canWrite, canDelete, onDeleted }: { orgId: string; project: Project; canWrite: boolean; canDelete: boolean; onDeleted: () => void }) {
  const setArchived = useSetArchived(orgId);
  const remove = useDeleteProject(orgId);
  const [confirming, setConfirming] = useState(false);
  const archived = project.archivedAt !== null;
  if (!canWrite) return archived ? <p className="muted">This project is archived.</p> : null;
  return (
    <section className="section stack" aria-label="Archive or delete">
      <h2>Archive or delete</h2>
      <p className="muted">
        {archived
          ? 'This project is archived: it takes no new tasks, sprints or documents until you bring it back.'
          : 'Archiving keeps everything but takes the project off the list and stops new work in it.'}
      </p>
      <div className="row">
        <button type="button" disabled={setArchived.isPending} onClick={() => setArchived.mutate({ projectId: project.id, archived: !archived })}>
          {archived ? 'Unarchive project' : 'Archive project'}
        </button>
        {canDelete && !confirming ? (
          <button type="button" className="button-danger" onClick={() => setConfirming(true)}>
            Delete project
          </button>
        ) : null}
        {canDelete && confirming ? (
          <>
            <button type="button" className="button-danger" disabled={remove.isPending} onClick={() => remove.mutate(project.id, { onSuccess: onDeleted })}>
              Delete {project.key} and its tasks
            </button>
            <button type="button" className="button-quiet" onClick={() => setConfirming(false)}>
              Keep it
            </button>
          </>
        ) : null}
      </div>
      <ErrorText error={setArchived.error ?? remove.error} />
    </section>
  );
}

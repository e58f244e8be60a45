import { useRef } from 'react';
import { ErrorText, Loading } from '../../../components/feedback';
import type { Task } from '../../../lib/task-vocabulary';
import { downloadUrl, useAttachments, useDeleteAttachment, useUploadAttachment } from '../api';

const sizeText = (bytes: number) =>
  bytes < 1024 ? `${bytes} B` : bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** Files attached to the task: download for everyone, upload and delete for writers. */
export function Attachments({ orgId, task, canWrite }: { orgId: string; task: Task; canWrite: boolean }) {
  const attachments = useAttachments(orgId, task);
  const upload = useUploadAttachment(orgId, task);
  const remove = useDeleteAttachment(orgId, task);
  const input = useRef<HTMLInputElement>(null);

  const onPick = (event: React.ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    if (!file) return;
    upload.mutate(file, {
      onSettled: () => {
        if (input.current) input.current.value = '';
      },
    });
  };

  return (
    <section className="task-section" aria-labelledby="attachments-heading">
      <h2 id="attachments-heading">Attachments</h2>
      {attachments.isPending ? <Loading label="Loading attachments…" /> : null}
      <ErrorText error={attachments.error} />
      {attachments.data && attachments.data.length === 0 ? <p className="muted">No files attached.</p> : null}
      <ul className="attachment-list">
        {attachments.data?.map((asset) => {
          const name = asset.fileName;
          return (
            <li key={asset.id}>
              <a href={downloadUrl(orgId, asset)} download={name}>
                {name}
              </a>{' '}
              <span className="muted">{sizeText(asset.sizeBytes)}</span>
              {canWrite ? (
                <button type="button" className="button-danger" disabled={remove.isPending} onClick={() => remove.mutate(asset.id)}>
                  Delete {name}
                </button>
              ) : null}
            </li>
          );
        })}
      </ul>
      <ErrorText error={remove.error} />
      {canWrite ? (
        <div className="attach">
          <label>
            Attach a file <span className="muted small">(up to 10 MB)</span>
            <input ref={input} type="file" onChange={onPick} disabled={upload.isPending} />
          </label>
          {upload.isPending ? <Loading label="Uploading…" /> : null}
          <ErrorText error={upload.error} />
        </div>
      ) : null}
    </section>
  );
}

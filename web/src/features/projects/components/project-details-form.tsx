import { useId, useState } from 'react';
import { ErrorText } from '../../../components/feedback';
import { type Project, useUpdateProject } from '../api';
import { STATUS_LABELS } from './project-list';
import { type Visibility, VisibilityField, visibilityLabel } from './visibility';

/**
 * Name, description, status and dates; read-only text for viewers. Who sees the project is
 * changed only by those who manage it (admins, its leads).
 */
export function ProjectDetailsForm({ orgId, project, canWrite, canManage }: { orgId: string; project: Project; canWrite: boolean; canManage: boolean }) {
  const id = useId();
  const update = useUpdateProject(orgId, project.id);
  const [name, setName] = useState(project.name);
  const [description, setDescription] = useState(project.description ?? '');
  const [status, setStatus] = useState(project.status);
  const [startDate, setStartDate] = useState(project.startDate ?? '');
  const [endDate, setEndDate] = useState(project.endDate ?? '');
  const [visibility, setVisibility] = useState<Visibility>(project.visibility);

  if (!canWrite) {
    return (
      <dl className="details">
        <dt>Name</dt>
        <dd>{project.name}</dd>
        <dt>Status</dt>
        <dd>{STATUS_LABELS[project.status]}</dd>
        <dt>Description</dt>
        <dd>{project.description || '—'}</dd>
        <dt>Dates</dt>
        <dd>{project.startDate || project.endDate ? `${project.startDate ?? '…'} – ${project.endDate ?? '…'}` : '—'}</dd>
        <dt>Who can see it</dt>
        <dd>{visibilityLabel(project.visibility)}</dd>
      </dl>
    );
  }
  return (
    <form
      className="stack"
      onSubmit={(event) => {
        event.preventDefault();
        const changes = { name: name.trim(), description: description.trim() || null, status, startDate: startDate || null, endDate: endDate || null };
        update.mutate(canManage ? { ...changes, visibility } : changes);
      }}
    >
      <div className="field">
        <label htmlFor={`${id}-name`}>Project name</label>
        <input id={`${id}-name`} required maxLength={200} value={name} onChange={(event) => setName(event.target.value)} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-description`}>Description</label>
        <textarea id={`${id}-description`} value={description} onChange={(event) => setDescription(event.target.value)} />
      </div>
      <div className="inline-form">
        <div className="field">
          <label htmlFor={`${id}-status`}>Status</label>
          <select id={`${id}-status`} value={status} onChange={(event) => setStatus(event.target.value as Project['status'])}>
            {(Object.keys(STATUS_LABELS) as Project['status'][]).map((value) => (
              <option key={value} value={value}>
                {STATUS_LABELS[value]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-start`}>Start date</label>
          <input id={`${id}-start`} type="date" value={startDate} onChange={(event) => setStartDate(event.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-end`}>End date</label>
          <input id={`${id}-end`} type="date" value={endDate} onChange={(event) => setEndDate(event.target.value)} />
        </div>
      </div>
      {canManage ? <VisibilityField value={visibility} onChange={setVisibility} /> : <p className="muted">Who can see it: {visibilityLabel(project.visibility)}</p>}
      <ErrorText error={update.error} />
      {update.isSuccess ? <p role="status">Saved.</p> : null}
      <div className="row">
        <button type="submit" className="button-primary" disabled={update.isPending}>
          Save project
        </button>
      </div>
    </form>
  );
}

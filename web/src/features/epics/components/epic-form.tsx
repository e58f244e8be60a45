import { useId, useState } from 'react';
import { ErrorText } from '../../../components/feedback';
import { FormActions } from '../../../components/form-actions';
import { EPIC_STATUS_LABEL, type Epic, type EpicStatus, useEpicActions } from '../api';

type EpicFormProps = { orgId: string; projectId: string; epic?: Epic; onDone: () => void };

/** Create an epic, or edit one: title, description, status and dates. */
export function EpicForm({ orgId, projectId, epic, onDone }: EpicFormProps) {
  const id = useId();
  const { create, update } = useEpicActions(orgId, projectId);
  const mutation = epic ? update : create;
  const [title, setTitle] = useState(epic?.title ?? '');
  const [description, setDescription] = useState(epic?.description ?? '');
  const [status, setStatus] = useState<EpicStatus>(epic?.status ?? 'open');
  const [startDate, setStartDate] = useState(epic?.startDate ?? '');
  const [targetDate, setTargetDate] = useState(epic?.targetDate ?? '');
  const label = epic ? `Edit ${epic.title}` : 'New epic';
  return (
    <form
      className="section stack"
      aria-label={label}
      onSubmit={(event) => {
        event.preventDefault();
        const body = { title: title.trim(), description: description.trim() || null, status, startDate: startDate || null, targetDate: targetDate || null };
        if (epic) update.mutate({ id: epic.id, ...body }, { onSuccess: onDone });
        else create.mutate(body, { onSuccess: onDone });
      }}
    >
      <div className="field">
        <label htmlFor={`${id}-title`}>Epic title</label>
        <input id={`${id}-title`} required maxLength={500} value={title} onChange={(event) => setTitle(event.target.value)} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-description`}>Description</label>
        <textarea id={`${id}-description`} maxLength={50_000} value={description} onChange={(event) => setDescription(event.target.value)} />
      </div>
      <div className="inline-form">
        <div className="field">
          <label htmlFor={`${id}-status`}>Status</label>
          <select id={`${id}-status`} value={status} onChange={(event) => setStatus(event.target.value as EpicStatus)}>
            {Object.entries(EPIC_STATUS_LABEL).map(([value, text]) => (
              <option key={value} value={value}>
                {text}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-start`}>Start date</label>
          <input id={`${id}-start`} type="date" value={startDate} onChange={(event) => setStartDate(event.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-target`}>Target date</label>
          <input id={`${id}-target`} type="date" min={startDate || undefined} value={targetDate} onChange={(event) => setTargetDate(event.target.value)} />
        </div>
      </div>
      <ErrorText error={mutation.error} />
      <FormActions submitLabel={epic ? 'Save epic' : 'Create epic'} pending={mutation.isPending} onCancel={onDone} />
    </form>
  );
}

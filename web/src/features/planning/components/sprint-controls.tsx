import { useEffect, useId, useRef, useState } from 'react';
import { ErrorText } from '../../../components/feedback';
import { FormActions } from '../../../components/form-actions';
import { BACKLOG, type Sprint, useSprintActions } from '../api';

export const sprintDates = (sprint: Sprint) =>
  sprint.startDate || sprint.endDate ? `${sprint.startDate ?? 'no start date'} – ${sprint.endDate ?? 'no end date'}` : 'no dates yet';

type ControlsProps = { orgId: string; projectId: string; sprint: Sprint; sprints: Sprint[] };

/**
 * Start a planned sprint (only while none runs: the server allows one active sprint), or
 * complete the active one, choosing where its unfinished tasks go.
 */
export function SprintControls({ orgId, projectId, sprint, sprints }: ControlsProps) {
  const actions = useSprintActions(orgId, projectId);
  const [completing, setCompleting] = useState(false);
  const running = sprints.some((candidate) => candidate.status === 'active');
  if (sprint.status === 'planning') {
    if (running) return null;
    return (
      <div className="row">
        <button type="button" className="button-primary" disabled={actions.start.isPending} onClick={() => actions.start.mutate(sprint.id)}>
          Start {sprint.name}
        </button>
        <ErrorText error={actions.start.error} />
      </div>
    );
  }
  if (sprint.status !== 'active') return null;
  return (
    <>
      <button type="button" onClick={() => setCompleting(true)}>
        Complete {sprint.name}
      </button>
      {completing ? (
        <CompleteDialog
          sprint={sprint}
          targets={sprints.filter((candidate) => candidate.status === 'planning')}
          complete={actions.complete}
          onClose={() => setCompleting(false)}
        />
      ) : null}
    </>
  );
}

type CompleteDialogProps = {
  sprint: Sprint;
  targets: Sprint[];
  complete: ReturnType<typeof useSprintActions>['complete'];
  onClose: () => void;
};

/** A modal dialog: where the unfinished work goes, then complete. Escape or Cancel closes it. */
function CompleteDialog({ sprint, targets, complete, onClose }: CompleteDialogProps) {
  const id = useId();
  const dialog = useRef<HTMLDialogElement>(null);
  const [target, setTarget] = useState(BACKLOG);
  useEffect(() => {
    dialog.current?.showModal();
  }, []);
  return (
    <dialog ref={dialog} className="plan-dialog" aria-labelledby={`${id}-title`} onClose={onClose}>
      <form
        className="stack"
        onSubmit={(event) => {
          event.preventDefault();
          complete.mutate({ sprintId: sprint.id, moveUnfinishedTo: target === BACKLOG ? 'backlog' : target }, { onSuccess: () => dialog.current?.close() });
        }}
      >
        <h2 id={`${id}-title`}>Complete {sprint.name}</h2>
        <fieldset className="stack">
          <legend>Move unfinished tasks to</legend>
          {[{ id: BACKLOG, name: 'Backlog' }, ...targets].map((choice) => (
            <label key={choice.id} className="plan-choice">
              <input type="radio" name={`${id}-target`} value={choice.id} checked={target === choice.id} onChange={() => setTarget(choice.id)} />
              {choice.name}
            </label>
          ))}
        </fieldset>
        <ErrorText error={complete.error} />
        <div className="row">
          <button type="submit" className="button-primary" disabled={complete.isPending}>
            Complete sprint
          </button>
          <button type="button" className="button-quiet" onClick={() => dialog.current?.close()}>
            Cancel
          </button>
        </div>
      </form>
    </dialog>
  );
}

const addDays = (day: string, days: number) => new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** "New sprint": a name and two dates, starting after the last open sprint ends. */
export function NewSprintForm({ orgId, projectId, projectKey, sprints, onDone }: { orgId: string; projectId: string; projectKey: string; sprints: Sprint[]; onDone: () => void }) {
  const id = useId();
  const { create } = useSprintActions(orgId, projectId);
  const lastEnd = sprints.map((sprint) => sprint.endDate).filter((day): day is string => day !== null).sort().at(-1);
  const today = new Date().toISOString().slice(0, 10);
  const firstDay = lastEnd && lastEnd >= today ? addDays(lastEnd, 1) : today;
  const [name, setName] = useState(`${projectKey} Sprint ${sprints.length + 1}`);
  const [startDate, setStartDate] = useState(firstDay);
  const [endDate, setEndDate] = useState(addDays(firstDay, 13));
  return (
    <form
      className="section stack"
      aria-label="New sprint"
      onSubmit={(event) => {
        event.preventDefault();
        create.mutate({ name: name.trim(), startDate: startDate || null, endDate: endDate || null }, { onSuccess: onDone });
      }}
    >
      <div className="inline-form">
        <div className="field">
          <label htmlFor={`${id}-name`}>Sprint name</label>
          <input id={`${id}-name`} required maxLength={200} value={name} onChange={(event) => setName(event.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-start`}>Start date</label>
          <input id={`${id}-start`} type="date" value={startDate} onChange={(event) => setStartDate(event.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-end`}>End date</label>
          <input id={`${id}-end`} type="date" min={startDate || undefined} value={endDate} onChange={(event) => setEndDate(event.target.value)} />
        </div>
      </div>
      <ErrorText error={create.error} />
      <FormActions submitLabel={'Create sprint'} pending={create.isPending} onCancel={onDone} />
    </form>
  );
}

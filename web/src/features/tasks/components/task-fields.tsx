import { useEffect, useState } from 'react';
import { ErrorText } from '../../../components/feedback';
import {
  PRIORITIES,
  PRIORITY_LABEL,
  STATUSES,
  STATUS_LABEL,
  TYPES,
  TYPE_LABEL,
  type Task,
} from '../../../lib/task-vocabulary';
import type { TaskChange } from '../api';

export type TaskChoices = {
  people: { id: string; name: string }[];
  epics: { id: string; title: string }[];
  sprints: { id: string; name: string; completed?: boolean }[];
};

type FieldsProps = { task: Task; choices: TaskChoices; canWrite: boolean; onSave: (change: TaskChange) => Promise<unknown> };

type Option = { value: string; label: string };
const labelOf = (list: Option[], value: string) => list.find((option) => option.value === value)?.label ?? 'Unknown';
const options = <T extends string>(values: readonly T[], labels: Record<T, string>): Option[] => values.map((value) => ({ value, label: labels[value] }));

/** Status, priority, type, points, assignee, epic, sprint and due date; each saves when changed. */
export function TaskFields({ task, choices, canWrite, onSave }: FieldsProps) {
  const [error, setError] = useState<unknown>(null);
  const save = async (change: TaskChange) => {
    try {
      await onSave(change);
      setError(null);
    } catch (failure) {
      setError(failure);
    }
  };
  const people = [{ value: '', label: 'Unassigned' }, ...choices.people.map((p) => ({ value: p.id, label: p.name }))];
  // The current assignee may have left the organization: keep them selectable as they are.
  if (task.assignee && !choices.people.some((p) => p.id === task.assigneeId)) people.push({ value: task.assignee.id, label: task.assignee.name });
  const epics = [{ value: '', label: 'No epic' }, ...choices.epics.map((e) => ({ value: e.id, label: e.title }))];
  // A completed sprint takes no new tasks (the server refuses): offered only to the task already in it.
  const open = choices.sprints.filter((s) => !s.completed || s.id === task.sprintId);
  const sprints = [{ value: '', label: 'Backlog (no sprint)' }, ...open.map((s) => ({ value: s.id, label: s.name }))];

  if (!canWrite) {
    const rows: [string, string][] = [
      ['Status', STATUS_LABEL[task.status]],
      ['Priority', PRIORITY_LABEL[task.priority]],
      ['Type', TYPE_LABEL[task.type]],
      ['Points', task.storyPoints === null ? 'None' : String(task.storyPoints)],
      ['Assignee', task.assignee?.name ?? 'Unassigned'],
      ['Epic', labelOf(epics, task.epicId ?? '')],
      ['Sprint', labelOf(sprints, task.sprintId ?? '')],
      ['Due date', task.dueDate ?? 'None'],
    ];
    return (
      <dl className="task-fields">
        {rows.map(([label, value]) => (
          <div key={label} className="field-row">
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
    );
  }

  const nullable = (value: string) => (value === '' ? null : value);
  return (
    <div className="task-fields">
      <SelectField label="Status" value={task.status} options={options(STATUSES, STATUS_LABEL)} onChange={(v) => save({ status: v as Task['status'] })} />
      <SelectField label="Priority" value={task.priority} options={options(PRIORITIES, PRIORITY_LABEL)} onChange={(v) => save({ priority: v as Task['priority'] })} />
      <SelectField label="Type" value={task.type} options={options(TYPES, TYPE_LABEL)} onChange={(v) => save({ type: v as Task['type'] })} />
      <PointsField value={task.storyPoints} onSave={(storyPoints) => save({ storyPoints })} />
      <SelectField label="Assignee" value={task.assigneeId ?? ''} options={people} onChange={(v) => save({ assigneeId: nullable(v) })} />
      <SelectField label="Epic" value={task.epicId ?? ''} options={epics} onChange={(v) => save({ epicId: nullable(v) })} />
      <SelectField label="Sprint" value={task.sprintId ?? ''} options={sprints} onChange={(v) => save({ sprintId: nullable(v) })} />
      <label className="field-row">
        <span>Due date</span>
        <input type="date" value={task.dueDate ?? ''} onChange={(event) => void save({ dueDate: nullable(event.target.value) })} />
      </label>
      <ErrorText error={error} />
    </div>
  );
}

function SelectField({ label, value, options, onChange }: { label: string; value: string; options: Option[]; onChange: (value: string) => Promise<void> }) {
  return (
    <label className="field-row">
      <span>{label}</span>
      <select value={value} onChange={(event) => void onChange(event.target.value)}>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </label>
  );
}

/** A number box that saves on Enter or when left, not on every digit. */
function PointsField({ value, onSave }: { value: number | null; onSave: (points: number | null) => Promise<void> }) {
  const [text, setText] = useState(value === null ? '' : String(value));
  useEffect(() => setText(value === null ? '' : String(value)), [value]);
  const commit = () => {
    const points = text.trim() === '' ? null : Number(text);
    if (points === value || (points !== null && !Number.isInteger(points))) return;
    void onSave(points);
  };
  return (
    <label className="field-row">
      <span>Points</span>
      <input
        type="number"
        min={0}
        max={100}
        step={1}
        inputMode="numeric"
        value={text}
        onChange={(event) => setText(event.target.value)}
        onBlur={commit}
        onKeyDown={(event) => {
          if (event.key === 'Enter') commit();
        }}
      />
    </label>
  );
}

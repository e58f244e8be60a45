import type { DraggableAttributes, DraggableSyntheticListeners } from '@dnd-kit/core';
import { useSortable } from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import { Initials } from '../../../components/initials';
import { STATUS_LABEL, type Task } from '../../../lib/task-vocabulary';
import { BACKLOG, type Lane, type Sprint } from '../api';

export type RowActions = {
  orgSlug: string;
  onOpen: (event: React.MouseEvent<HTMLAnchorElement>, task: Task) => void;
  /** Present for members: the open sprints a task can move to, and the move itself. */
  plan?: { sprints: Sprint[]; moveTo: (task: Task, lane: Lane) => void };
};

type LinkProps = {
  task: Task;
  actions: RowActions;
  setActivator?: (element: HTMLElement | null) => void;
  attributes?: DraggableAttributes;
  listeners?: DraggableSyntheticListeners;
};

/** The task as a link (the drag handle for members): reference, title, status, points. */
function RowLink({ task, actions, setActivator, attributes, listeners }: LinkProps) {
  return (
    <a
      href={`/${encodeURIComponent(actions.orgSlug)}/tasks/${encodeURIComponent(task.ref)}`}
      className="plan-link"
      // j and k walk the backlog and the sprints' tasks, in the order they are shown.
      data-shortcut-item
      ref={setActivator}
      {...attributes}
      {...listeners}
      // Still a link for assistive technology; dnd-kit would call it a button.
      role="link"
      draggable={false}
      onClick={(event) => actions.onOpen(event, task)}
    >
      <span className="card-ref">{task.ref}</span> <span className="plan-title">{task.title}</span>
      <span className="plan-meta">
        <span className="tag">{STATUS_LABEL[task.status]}</span>
        <span className="tag">{task.storyPoints === null ? 'no estimate' : `${task.storyPoints} pt`}</span>
        {task.assignee ? (
          <span>
            <Initials name={task.assignee.name} size="sm" />
            <span className="visually-hidden">assigned to {task.assignee.name}</span>
          </span>
        ) : null}
      </span>
    </a>
  );
}

/** The non-drag way to plan: a choice of lane per task. */
function MoveMenu({ task, plan }: { task: Task; plan: NonNullable<RowActions['plan']> }) {
  const current = task.sprintId ?? BACKLOG;
  return (
    <select
      className="plan-move"
      aria-label={`Move ${task.ref} to sprint`}
      value={current}
      onChange={(event) => plan.moveTo(task, event.target.value)}
    >
      <option value={BACKLOG}>Backlog</option>
      {plan.sprints.map((sprint) => (
        <option key={sprint.id} value={sprint.id}>
          {sprint.name}
        </option>
      ))}
    </select>
  );
}

/** A task in a lane: sortable with a move menu for members, a plain link for viewers. */
export function TaskRow({ task, actions }: { task: Task; actions: RowActions }) {
  if (!actions.plan) {
    return (
      <li className="plan-row">
        <RowLink task={task} actions={actions} />
      </li>
    );
  }
  return <SortableRow task={task} actions={actions} plan={actions.plan} />;
}

function SortableRow({ task, actions, plan }: { task: Task; actions: RowActions; plan: NonNullable<RowActions['plan']> }) {
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, transform, transition, isDragging } = useSortable({ id: task.id });
  return (
    <li ref={setNodeRef} className={isDragging ? 'plan-row dragging' : 'plan-row'} style={{ transform: CSS.Translate.toString(transform), transition }}>
      <RowLink task={task} actions={actions} setActivator={setActivatorNodeRef} attributes={attributes} listeners={listeners} />
      <MoveMenu task={task} plan={plan} />
    </li>
  );
}

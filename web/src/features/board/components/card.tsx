import type { DraggableAttributes, DraggableSyntheticListeners } from '@dnd-kit/core';
import { useSortable } from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import { memo } from 'react';
import { Initials } from '../../../components/initials';
import { PRIORITY_LABEL, TYPE_LABEL, type Task } from '../../../lib/task-vocabulary';

type CardLinkProps = {
  task: Task;
  href: string;
  /** Follows the link inside the app, unless the click ended a drag. */
  onOpen: (event: React.MouseEvent<HTMLAnchorElement>, task: Task) => void;
  setActivator?: (element: HTMLElement | null) => void;
  attributes?: DraggableAttributes;
  listeners?: DraggableSyntheticListeners;
};

/**
 * What a card shows. Memoised: while one card is dragged, the other 999 of a large board keep
 * their rendered content (their sortable wrappers re-render, this does not).
 */
const CardLink = memo(function CardLink({ task, href, onOpen, setActivator, attributes, listeners }: CardLinkProps) {
  return (
    <a
      href={href}
      className="task-card"
      ref={setActivator}
      {...attributes}
      {...listeners}
      // A link stays a link for assistive technology; dnd-kit would call it a button.
      role="link"
      // Otherwise the browser starts its own drag of the link and the pointer events stop.
      draggable={false}
      onClick={(event) => onOpen(event, task)}
    >
      <span className="card-ref">{task.ref}</span> <span className="card-title">{task.title}</span>
      <span className="card-meta">
        <span className={`tag priority-${task.priority}`}>{PRIORITY_LABEL[task.priority]}</span>
        <span className="tag">{TYPE_LABEL[task.type]}</span>
        {task.storyPoints !== null ? <span className="tag">{task.storyPoints} pt</span> : null}
        {task.assignee ? (
          <span className="card-assignee">
            <Initials name={task.assignee.name} size="sm" />
            <span className="visually-hidden">assigned to {task.assignee.name}</span>
          </span>
        ) : null}
      </span>
    </a>
  );
});

type CardProps = { task: Task; href: string; onOpen: CardLinkProps['onOpen']; draggable: boolean };

/** A card in a column: sortable for people who may move it, a plain link for viewers. */
export function BoardCard({ task, href, onOpen, draggable }: CardProps) {
  if (!draggable) {
    return (
      <li className="card-item">
        <CardLink task={task} href={href} onOpen={onOpen} />
      </li>
    );
  }
  return <SortableCard task={task} href={href} onOpen={onOpen} />;
}

function SortableCard({ task, href, onOpen }: Omit<CardProps, 'draggable'>) {
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, transform, transition, isDragging } = useSortable({ id: task.id });
  return (
    <li
      ref={setNodeRef}
      className={isDragging ? 'card-item dragging' : 'card-item'}
      style={{ transform: CSS.Translate.toString(transform), transition }}
    >
      <CardLink task={task} href={href} onOpen={onOpen} setActivator={setActivatorNodeRef} attributes={attributes} listeners={listeners} />
    </li>
  );
}

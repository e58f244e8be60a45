import { useDroppable } from '@dnd-kit/core';
import { SortableContext, verticalListSortingStrategy } from '@dnd-kit/sortable';
import { useId, useMemo } from 'react';
import { STATUS_LABEL, type Task, type TaskStatus } from '../../../lib/task-vocabulary';
import { BoardCard } from './card';
import { QuickCreate } from './quick-create';

export const columnId = (status: TaskStatus) => `column:${status}`;

type ColumnProps = {
  status: TaskStatus;
  tasks: Task[];
  hrefOf: (task: Task) => string;
  onOpen: (event: React.MouseEvent<HTMLAnchorElement>, task: Task) => void;
  canWrite: boolean;
  onCreate: (title: string, status: TaskStatus) => Promise<unknown>;
};

/** One status: a named list of cards, a drop target even when empty, and quick create at its foot. */
export function BoardColumn({ status, tasks, hrefOf, onOpen, canWrite, onCreate }: ColumnProps) {
  const headingId = useId();
  const { setNodeRef, isOver } = useDroppable({ id: columnId(status), disabled: !canWrite });
  const ids = useMemo(() => tasks.map((task) => task.id), [tasks]);
  const label = STATUS_LABEL[status];
  return (
    <section className={isOver ? 'board-column over' : 'board-column'} aria-labelledby={headingId}>
      <h2 className="column-title" id={headingId}>
        {label} <span className="column-count">{tasks.length}</span>
      </h2>
      <SortableContext id={columnId(status)} items={ids} strategy={verticalListSortingStrategy} disabled={!canWrite}>
        {/* role="list" restores the list semantics that `list-style: none` removes in Safari. */}
        <ul className="column-cards" role="list" aria-labelledby={headingId} ref={setNodeRef}>
          {tasks.map((task) => (
            <BoardCard key={task.id} task={task} href={hrefOf(task)} onOpen={onOpen} draggable={canWrite} />
          ))}
        </ul>
      </SortableContext>
      {tasks.length === 0 ? <p className="column-empty">No tasks {canWrite ? '— drop a card here or add one.' : 'here.'}</p> : null}
      {canWrite ? <QuickCreate status={status} onCreate={onCreate} /> : null}
    </section>
  );
}

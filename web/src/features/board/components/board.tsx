import { type DragEndEvent, type DragOverEvent, DndContext, type UniqueIdentifier, closestCorners } from '@dnd-kit/core';
import { arrayMove } from '@dnd-kit/sortable';
import { useCallback, useMemo, useState } from 'react';
import { ErrorText } from '../../../components/feedback';
import { dropPosition, taskDragAnnouncements, useDragClickGuard, useOpenTask, useTaskDragSensors } from '../../../lib/drag';
import { STATUSES, STATUS_LABEL, type Task, type TaskStatus } from '../../../lib/task-vocabulary';
import { type Columns, useMoveTask, useQuickCreate } from '../api';
import type { BoardSearch } from '../filters';
import { BoardColumn, columnId } from './column';

type BoardProps = {
  orgId: string;
  orgSlug: string;
  projectId: string;
  search: BoardSearch;
  columns: Columns;
  canWrite: boolean;
};

const statusOfColumn = (id: UniqueIdentifier) => STATUSES.find((status) => columnId(status) === id);

function containerOf(columns: Columns, id: UniqueIdentifier): TaskStatus | undefined {
  return statusOfColumn(id) ?? STATUSES.find((status) => columns[status].some((task) => task.id === id));
}

/**
 * The board: a column per status; cards move by mouse, touch or keyboard (Space picks up, the
 * arrow keys move, Space drops, Escape cancels), and a drop is saved through the move endpoint.
 */
export function Board({ orgId, orgSlug, projectId, search, columns, canWrite }: BoardProps) {
  const move = useMoveTask(orgId, projectId, search);
  const create = useQuickCreate(orgId, projectId, search);
  // While a card is dragged across columns, the board shows this working copy.
  const [dragging, setDragging] = useState<Columns | null>(null);
  const shown = dragging ?? columns;
  const dragEndedAt = useDragClickGuard();
  const sensors = useTaskDragSensors();

  const byId = useMemo(() => new Map(STATUSES.flatMap((status) => columns[status].map((task) => [task.id, task] as const))), [columns]);
  const refOf = (id: UniqueIdentifier) => byId.get(String(id))?.ref ?? 'the card';

  const hrefOf = useCallback((task: Task) => `/${encodeURIComponent(orgSlug)}/tasks/${encodeURIComponent(task.ref)}`, [orgSlug]);
  const onOpen = useOpenTask(orgSlug);
  const createTask = create.mutateAsync;
  const onCreate = useCallback((title: string, status: TaskStatus) => createTask({ title, status }), [createTask]);

  const onDragOver = ({ active, over }: DragOverEvent) => {
    if (!over) return;
    const current = dragging ?? columns;
    const from = containerOf(current, active.id);
    const to = containerOf(current, over.id);
    if (!from || !to || from === to) return;
    const task = current[from].find((candidate) => candidate.id === active.id);
    if (!task) return;
    const target = current[to];
    const overIndex = target.findIndex((candidate) => candidate.id === over.id);
    const translated = active.rect.current.translated;
    const below = translated && translated.top > over.rect.top + over.rect.height / 2 ? 1 : 0;
    const index = overIndex >= 0 ? overIndex + below : target.length;
    setDragging({
      ...current,
      [from]: current[from].filter((candidate) => candidate.id !== active.id),
      [to]: [...target.slice(0, index), task, ...target.slice(index)],
    });
  };

  const onDragEnd = ({ active, over }: DragEndEvent) => {
    dragEndedAt.current = Date.now();
    const current = dragging ?? columns;
    setDragging(null);
    const status = containerOf(current, active.id);
    const original = containerOf(columns, active.id);
    const task = byId.get(String(active.id));
    if (!over || !status || !original || !task) return;
    let list = current[status];
    const from = list.findIndex((candidate) => candidate.id === active.id);
    const overIndex = list.findIndex((candidate) => candidate.id === over.id);
    if (overIndex >= 0 && overIndex !== from) list = arrayMove(list, from, overIndex);
    const index = list.findIndex((candidate) => candidate.id === active.id);
    const unchanged = status === original && columns[original].findIndex((candidate) => candidate.id === active.id) === index;
    if (unchanged) return;
    // One neighbour is enough, and safer: the column's neighbours need not be adjacent in the
    // project's order (other columns' tasks sit between them), so the server places the task
    // right after the card above it, or right before the card below when it is now on top.
    const above = list[index - 1]?.id ?? null;
    move.mutate({
      task,
      afterId: above,
      beforeId: above ? null : (list[index + 1]?.id ?? null),
      ...(status !== original ? { status } : {}),
      arrangement: { ...current, [status]: list },
    });
  };

  const positionIn = (id: UniqueIdentifier, overId: UniqueIdentifier | undefined) => {
    const current = dragging ?? columns;
    const status = overId === undefined ? undefined : containerOf(current, overId);
    if (!status) return 'outside the columns';
    return `in ${STATUS_LABEL[status]}, position ${dropPosition(current[status], id, overId)} of ${current[status].length}`;
  };
  const announcements = taskDragAnnouncements(refOf, positionIn);

  return (
    <>
      <ErrorText error={move.error ? `The card could not be moved: ${move.error.message}` : null} />
      <DndContext
        sensors={sensors}
        collisionDetection={closestCorners}
        onDragStart={() => {
          // Until the drag ends, no click opens a card.
          dragEndedAt.current = Number.MAX_SAFE_INTEGER;
          move.reset();
        }}
        onDragOver={onDragOver}
        onDragEnd={onDragEnd}
        onDragCancel={() => {
          dragEndedAt.current = Date.now();
          setDragging(null);
        }}
        accessibility={{
          announcements,
          screenReaderInstructions: {
            draggable: 'To move a card, press Space to pick it up, the arrow keys to move it within and between columns, Space to drop it, or Escape to cancel. Enter opens the task.',
          },
        }}
      >
        <div className="board" aria-label="Board columns" role="group">
          {STATUSES.map((status) => (
            <BoardColumn key={status} status={status} tasks={shown[status]} hrefOf={hrefOf} onOpen={onOpen} canWrite={canWrite} onCreate={onCreate} />
          ))}
        </div>
      </DndContext>
    </>
  );
}

import { type DragEndEvent, type DragOverEvent, DndContext, type UniqueIdentifier, closestCorners } from '@dnd-kit/core';
import { arrayMove } from '@dnd-kit/sortable';
import { Link } from '@tanstack/react-router';
import { useMemo, useState } from 'react';
import { ErrorText } from '../../../components/feedback';
import { dropPosition, taskDragAnnouncements, useDragClickGuard, useOpenTask, useTaskDragSensors } from '../../../lib/drag';
import type { Task } from '../../../lib/task-vocabulary';
import { BACKLOG, type Lane, type Lanes, type Sprint, usePlanTask } from '../api';
import { PlanLane, laneDropId } from './lane';
import { SprintControls, sprintDates } from './sprint-controls';
import type { RowActions } from './task-row';
import '../planning.css';

type BacklogProps = {
  orgId: string;
  orgSlug: string;
  projectId: string;
  projectKey: string;
  /** Open sprints, the running one first. */
  sprints: Sprint[];
  lanes: Lanes;
  canWrite: boolean;
};

/**
 * Sprint planning: each open sprint above the backlog. Tasks move between them by mouse, touch
 * or keyboard (Space picks up, arrows move, Space drops) or through each task's sprint menu.
 */
export function Backlog({ orgId, orgSlug, projectId, projectKey, sprints, lanes, canWrite }: BacklogProps) {
  const order = useMemo(() => [...sprints.map((sprint) => sprint.id), BACKLOG], [sprints]);
  const plan = usePlanTask(orgId, projectId, order);
  const [dragging, setDragging] = useState<Lanes | null>(null);
  const shown = dragging ?? lanes;
  const dragEndedAt = useDragClickGuard();
  const sensors = useTaskDragSensors();

  const laneOf = (current: Lanes, id: UniqueIdentifier): Lane | undefined =>
    order.find((lane) => laneDropId(lane) === id) ?? order.find((lane) => (current[lane] ?? []).some((task) => task.id === id));
  const byId = useMemo(() => new Map(order.flatMap((lane) => (lanes[lane] ?? []).map((task) => [task.id, task] as const))), [lanes, order]);
  const nameOf = (lane: Lane | undefined) => (lane === BACKLOG ? 'the backlog' : (sprints.find((sprint) => sprint.id === lane)?.name ?? 'nowhere'));

  /** Saves a task's new lane and place, against one neighbour (above it, or below when on top). */
  const save = (task: Task, to: Lane, list: Task[], arrangement: Lanes) => {
    const index = list.findIndex((candidate) => candidate.id === task.id);
    const above = list[index - 1]?.id ?? null;
    plan.mutate({ task, to, afterId: above, beforeId: above ? null : (list[index + 1]?.id ?? null), arrangement });
  };

  const moveTo = (task: Task, to: Lane) => {
    const from = task.sprintId ?? BACKLOG;
    if (from === to) return;
    const list = [...(lanes[to] ?? []), task];
    save(task, to, list, { ...lanes, [from]: (lanes[from] ?? []).filter((candidate) => candidate.id !== task.id), [to]: list });
  };

  const onDragOver = ({ active, over }: DragOverEvent) => {
    if (!over) return;
    const current = dragging ?? lanes;
    const from = laneOf(current, active.id);
    const to = laneOf(current, over.id);
    if (!from || !to || from === to) return;
    const task = (current[from] ?? []).find((candidate) => candidate.id === active.id);
    if (!task) return;
    const target = current[to] ?? [];
    const overIndex = target.findIndex((candidate) => candidate.id === over.id);
    const translated = active.rect.current.translated;
    const below = translated && translated.top > over.rect.top + over.rect.height / 2 ? 1 : 0;
    const index = overIndex >= 0 ? overIndex + below : target.length;
    setDragging({ ...current, [from]: (current[from] ?? []).filter((candidate) => candidate.id !== active.id), [to]: [...target.slice(0, index), task, ...target.slice(index)] });
  };

  const onDragEnd = ({ active, over }: DragEndEvent) => {
    dragEndedAt.current = Date.now();
    const current = dragging ?? lanes;
    setDragging(null);
    const to = laneOf(current, active.id);
    const task = byId.get(String(active.id));
    const original = task ? (task.sprintId ?? BACKLOG) : undefined;
    if (!over || !to || !task || !original) return;
    let list = current[to] ?? [];
    const from = list.findIndex((candidate) => candidate.id === active.id);
    const overIndex = list.findIndex((candidate) => candidate.id === over.id);
    if (overIndex >= 0 && overIndex !== from) list = arrayMove(list, from, overIndex);
    const index = list.findIndex((candidate) => candidate.id === active.id);
    if (to === original && (lanes[original] ?? []).findIndex((candidate) => candidate.id === active.id) === index) return;
    save(task, to, list, { ...current, [to]: list });
  };

  const onOpen = useOpenTask(orgSlug);
  const actions: RowActions = { orgSlug, onOpen, ...(canWrite ? { plan: { sprints, moveTo } } : {}) };

  const positionIn = (id: UniqueIdentifier, overId: UniqueIdentifier | undefined) => {
    const current = dragging ?? lanes;
    const lane = overId === undefined ? undefined : laneOf(current, overId);
    if (!lane) return 'outside the lists';
    const list = current[lane] ?? [];
    return `in ${nameOf(lane)}, position ${dropPosition(list, id, overId)} of ${list.length}`;
  };
  const refOf = (id: UniqueIdentifier) => byId.get(String(id))?.ref ?? 'the task';
  const announcements = taskDragAnnouncements(refOf, positionIn);

  return (
    <>
      <ErrorText error={plan.error ? `The task could not be moved: ${plan.error.message}` : null} />
      <DndContext
        sensors={sensors}
        collisionDetection={closestCorners}
        onDragStart={() => {
          dragEndedAt.current = Number.MAX_SAFE_INTEGER;
          plan.reset();
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
            draggable: 'To plan a task, press Space to pick it up, the arrow keys to move it within and between the sprints and the backlog, Space to drop it, or Escape to cancel. Enter opens the task.',
          },
        }}
      >
        <div className="plan-lanes">
          {sprints.map((sprint) => (
            <PlanLane
              key={sprint.id}
              lane={sprint.id}
              name={sprint.name}
              title={
                <Link to="/$orgSlug/projects/$key/sprints/$sprintId" params={{ orgSlug, key: projectKey, sprintId: sprint.id }}>
                  {sprint.name}
                </Link>
              }
              details={
                <div className="plan-lane-details">
                  <span className="muted">
                    {sprint.status === 'active' ? 'Active' : 'Planned'} · {sprintDates(sprint)}
                  </span>
                  {canWrite ? <SprintControls orgId={orgId} projectId={projectId} sprint={sprint} sprints={sprints} /> : null}
                </div>
              }
              tasks={shown[sprint.id] ?? []}
              actions={actions}
            />
          ))}
          <PlanLane lane={BACKLOG} name="Backlog" title="Backlog" tasks={shown[BACKLOG] ?? []} actions={actions} />
        </div>
      </DndContext>
    </>
  );
}

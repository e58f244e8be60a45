import { useDroppable } from '@dnd-kit/core';
import { SortableContext, verticalListSortingStrategy } from '@dnd-kit/sortable';
import { useId, useMemo } from 'react';
import type { Task } from '../../../lib/task-vocabulary';
import type { Lane as LaneId } from '../api';
import { type RowActions, TaskRow } from './task-row';

export const laneDropId = (lane: LaneId) => `lane:${lane}`;

type LaneProps = {
  lane: LaneId;
  title: React.ReactNode;
  /** The list's accessible name: "Backlog", or the sprint's name. */
  name: string;
  /** Dates, status and the sprint's actions, under the heading. */
  details?: React.ReactNode;
  tasks: Task[];
  actions: RowActions;
};

const pointsOf = (tasks: Task[]) => tasks.reduce((sum, task) => sum + (task.storyPoints ?? 0), 0);

/** A sprint or the backlog: a named list of tasks, a drop target even when empty. */
export function PlanLane({ lane, title, name, details, tasks, actions }: LaneProps) {
  const headingId = useId();
  const canWrite = actions.plan !== undefined;
  const { setNodeRef, isOver } = useDroppable({ id: laneDropId(lane), disabled: !canWrite });
  const ids = useMemo(() => tasks.map((task) => task.id), [tasks]);
  return (
    <section className={isOver ? 'plan-lane over' : 'plan-lane'} aria-labelledby={headingId}>
      <div className="plan-lane-header">
        <h2 id={headingId}>{title}</h2>
        {/* Shown as planned, for the lane at hand: not a chart, just the list's own size. */}
        <span className="muted">
          {tasks.length} {tasks.length === 1 ? 'task' : 'tasks'}, {pointsOf(tasks)} pt
        </span>
      </div>
      {details}
      <SortableContext id={laneDropId(lane)} items={ids} strategy={verticalListSortingStrategy} disabled={!canWrite}>
        <ul className="plan-list" role="list" aria-label={name} ref={setNodeRef}>
          {tasks.map((task) => (
            <TaskRow key={task.id} task={task} actions={actions} />
          ))}
        </ul>
      </SortableContext>
      {tasks.length === 0 ? <p className="column-empty">No tasks{canWrite ? ' — drag tasks here or use a task’s sprint menu.' : '.'}</p> : null}
    </section>
  );
}

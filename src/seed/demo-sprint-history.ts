import type { SeedClock } from './clock.js';
import type { OrganizationSeed } from './context.js';

type TaskStatus = 'todo' | 'in_progress' | 'in_review' | 'done' | 'canceled';
/** Index into the project's sprints (see SPRINTS in demo-work.ts), or null for the backlog. */
type SprintIndex = 0 | 1 | 2 | null;

/** What a task looks like today, as demo-work.ts inserts it. */
export type TaskNow = { id: string; sprint: SprintIndex; status: TaskStatus; points: number | null; createdDay: number; createdHour: number };

/** One change of a task, at `day` (from today) and `hour` UTC; fields left out keep their value. */
type Change = { day: number; hour: number; sprint?: SprintIndex; status?: TaskStatus; points?: number | null };

/**
 * How each task (by position, as in TASK_SHAPES) got to where it is, so the burndown and
 * velocity charts have a past. Every task starts in the backlog as `todo` when it was created.
 * Sprint days: the completed one -21..-8, the active one -7..+6, the planned one from +7.
 *
 * The completed sprint commits 18 points, takes a 1-point task mid-sprint (3), re-estimates
 * one 3 → 5 (1), cancels one (4) and descopes the 8-pointer (8) to the next sprint; the 11
 * points left are all done by day -13. The active sprint commits 24, gains an urgent 3-pointer
 * on day -3 (10) and has 6 done so far.
 */
const CHANGES: Record<number, Change[]> = {
  0: [{ day: -21, hour: 9, sprint: 0 }, { day: -20, hour: 10, status: 'in_progress' }, { day: -19, hour: 15, status: 'done' }],
  1: [
    { day: -21, hour: 9, sprint: 0 },
    { day: -19, hour: 11, status: 'in_progress' },
    { day: -18, hour: 14, points: 5 },
    { day: -17, hour: 15, status: 'done' },
  ],
  2: [{ day: -21, hour: 9, sprint: 0 }, { day: -17, hour: 10, status: 'in_progress' }, { day: -15, hour: 15, status: 'done' }],
  3: [{ day: -16, hour: 10, sprint: 0 }, { day: -15, hour: 10, status: 'in_progress' }, { day: -13, hour: 15, status: 'done' }],
  4: [{ day: -21, hour: 9, sprint: 0 }, { day: -14, hour: 16, status: 'canceled' }],
  5: [{ day: -7, hour: 9, sprint: 1 }, { day: -6, hour: 10, status: 'in_progress' }, { day: -4, hour: 15, status: 'done' }],
  6: [{ day: -7, hour: 9, sprint: 1 }, { day: -5, hour: 10, status: 'in_progress' }, { day: -1, hour: 16, status: 'in_review' }],
  7: [{ day: -7, hour: 9, sprint: 1 }, { day: -3, hour: 11, status: 'in_progress' }],
  // "If this does not fit the sprint, split off the UI part": it did not, and went to the next one.
  8: [
    { day: -21, hour: 9, sprint: 0 },
    { day: -12, hour: 10, sprint: null },
    { day: -7, hour: 9, sprint: 1 },
    { day: -6, hour: 11, status: 'in_progress' },
  ],
  9: [{ day: -7, hour: 9, sprint: 1 }],
  10: [{ day: -3, hour: 14, sprint: 1 }],
  11: [{ day: -7, hour: 9, sprint: 1 }, { day: -2, hour: 10, status: 'in_progress' }, { day: -1, hour: 15, status: 'done' }],
  12: [{ day: -2, hour: 14, sprint: 2 }],
  13: [{ day: -2, hour: 14, sprint: 2 }],
  14: [{ day: -2, hour: 14, sprint: 2 }],
  17: [{ day: -10, hour: 11, status: 'canceled' }],
};

/** Points the task had when it was created: today's, unless it was re-estimated since. */
const INITIAL_POINTS: Record<number, number> = { 1: 3 };

/** When the task at `index` was done, for its completed_at; null if the history has no done step. */
export function completedAt(clock: SeedClock, index: number): string | null {
  const done = CHANGES[index]?.findLast((change) => change.status === 'done');
  return done ? clock.at(done.day, done.hour) : null;
}

/**
 * Replaces the rows the task_sprint_states trigger wrote while the tasks were inserted (all
 * dated now) with the backdated history above. Rows have seeded ids, so a second run deletes
 * and inserts nothing.
 */
export async function seedSprintHistory(
  seed: OrganizationSeed,
  projectKey: string,
  tasks: TaskNow[],
  sprintIds: string[],
): Promise<void> {
  const rows = tasks.flatMap((task, index) => timelineOf(seed, projectKey, index, task, sprintIds));
  await seed.writer.session.query(
    `delete from task_sprint_states
      where organization_id = $1 and task_id = any($2::uuid[]) and not (id = any($3::uuid[]))`,
    [seed.id, tasks.map((task) => task.id), rows.map((row) => row.id)],
  );
  await seed.writer.insert('task_sprint_states', rows);
}

function timelineOf(seed: OrganizationSeed, projectKey: string, index: number, task: TaskNow, sprintIds: string[]) {
  let state = { sprint: null as SprintIndex, status: 'todo' as TaskStatus, points: INITIAL_POINTS[index] ?? task.points };
  const changes = CHANGES[index] ?? [];
  const states = [{ at: seed.clock.at(task.createdDay, task.createdHour), ...state }];
  for (const change of changes) {
    state = { sprint: pick(change.sprint, state.sprint), status: change.status ?? state.status, points: pick(change.points, state.points) };
    states.push({ at: seed.clock.at(change.day, change.hour), ...state });
  }
  // A history that does not end where the task is would draw charts that contradict the board.
  if (state.sprint !== task.sprint || state.status !== task.status || state.points !== task.points) {
    throw new Error(`demo sprint history of ${projectKey}-${index + 1} does not end in the task's current state`);
  }
  return states.map((s, step) => ({
    organization_id: seed.id,
    id: seed.rowId('task_sprint_state', projectKey, index + 1, step),
    task_id: task.id,
    sprint_id: s.sprint === null ? null : sprintIds[s.sprint],
    status: s.status,
    story_points: s.points,
    deleted: false,
    valid_from: s.at,
  }));
}

/** `value` if the change sets it (null included), else `current`. */
function pick<T>(value: T | undefined, current: T): T {
  return value === undefined ? current : value;
}

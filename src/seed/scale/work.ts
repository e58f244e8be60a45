import { DAY_MS, KIND, type OrganizationPlan, type ProjectPlan, type ScaleShape, sprintAt } from './plan.js';
import { Random, type Weighted, fastUuid } from './random.js';
import type { TaskType } from './vocabulary.js';

export type TaskStatus = 'todo' | 'in_progress' | 'in_review' | 'done' | 'canceled';
export type Priority = 'low' | 'medium' | 'high' | 'urgent';

/**
 * Everything about one task except its long text, derived from (seed, organization, project,
 * number) alone, so the tasks, comments and audit passes each re-derive the same task without
 * keeping a million of them in memory. `random` continues the task's stream for its text.
 */
export type TaskCore = {
  number: number;
  id: string;
  createdAt: number;
  type: TaskType;
  status: TaskStatus;
  priority: Priority;
  points: number | null;
  sprint: number | null;
  epic: number | null;
  assigneeId: string | null;
  creatorId: string;
  dueAt: number | null;
  completedAt: number | null;
  updatedAt: number;
  deletedAt: number | null;
  comments: number;
  random: Random;
};

const TYPES: Weighted<TaskType> = [['task', 50], ['story', 20], ['bug', 22], ['chore', 8]];
const PRIORITIES: Weighted<Priority> = [['low', 25], ['medium', 45], ['high', 22], ['urgent', 8]];
const POINTS: Weighted<number> = [[1, 15], [2, 25], [3, 25], [5, 20], [8, 10], [13, 5]];

/** Old work is mostly finished, recent work mostly open: what a real board looks like. */
const STATUS_BY_AGE: { maxAgeDays: number; statuses: Weighted<TaskStatus> }[] = [
  { maxAgeDays: 14, statuses: [['todo', 55], ['in_progress', 23], ['in_review', 10], ['done', 10], ['canceled', 2]] },
  { maxAgeDays: 60, statuses: [['todo', 25], ['in_progress', 17], ['in_review', 8], ['done', 45], ['canceled', 5]] },
  { maxAgeDays: Infinity, statuses: [['todo', 8], ['in_progress', 3], ['in_review', 1], ['done', 78], ['canceled', 10]] },
];

/** Mean comments per task by status: work under review is discussed most. */
const COMMENT_MEAN: Record<TaskStatus, number> = { todo: 0.5, in_progress: 1.5, in_review: 2.5, done: 1.8, canceled: 0.7 };

export function taskId(seed: number, organization: number, project: number, number: number): string {
  return fastUuid([seed, KIND.task, organization, project, number]);
}

export function epicId(seed: number, organization: number, project: number, epic: number): string {
  return fastUuid([seed, KIND.epic, organization, project, epic]);
}

export function sprintId(seed: number, organization: number, project: number, sprint: number): string {
  return fastUuid([seed, KIND.sprint, organization, project, sprint]);
}

export function deriveTask(shape: ScaleShape, organization: OrganizationPlan, project: ProjectPlan, number: number): TaskCore {
  const { seed, asOf } = shape;
  const random = Random.of([seed, KIND.task, organization.index, project.index, number]);
  // Stratified over the project's life: task n is created in the n-th slice, so numbers rise with time.
  const span = asOf - project.startedAt;
  const createdAt = project.startedAt + Math.floor(((number - 1 + random.next()) / project.tasks) * span);
  const ageDays = (asOf - createdAt) / DAY_MS;
  const type = random.weighted(TYPES);
  const priority = random.weighted(PRIORITIES);
  const points = random.chance(0.8) ? random.weighted(POINTS) : null;
  const status = random.weighted(statusesAt(ageDays));
  const open = status !== 'done' && status !== 'canceled';

  let sprint: number | null = null;
  if (project.sprints > 0 && random.chance(0.85)) {
    // Planned into the sprint it was created in, or the next one; open work left in a closed sprint goes back to the backlog.
    const planned = Math.min(project.sprints - 1, sprintAt(project, createdAt) + (random.chance(0.6) ? 0 : 1));
    sprint = open && planned < sprintAt(project, asOf) ? null : planned;
  }
  const epic = project.epics > 0 && random.chance(0.55) ? random.int(0, project.epics - 1) : null;

  const team = project.team;
  // A few people carry most of a team's work: index skewed towards the front of the team (the lead).
  const assigneeIndex = team[Math.floor(team.length * random.next() ** 1.6)];
  const unassigned = random.chance(status === 'todo' ? 0.3 : 0.08);
  const assigneeId = unassigned || assigneeIndex === undefined ? null : (organization.members[assigneeIndex]?.userId ?? null);
  const creatorIndex = team[random.int(0, team.length - 1)] ?? 0;
  const creatorId = organization.members[creatorIndex]?.userId ?? organization.members[0]?.userId ?? '';

  const dueAt = random.chance(0.55) ? dayAt(createdAt + random.int(3, 45) * DAY_MS, 17) : null;
  const completedAt =
    status === 'done' ? Math.min(asOf - 60_000, createdAt + Math.floor(random.next() * Math.min(ageDays, 40) * DAY_MS) + 3_600_000) : null;
  const updatedAt = completedAt ?? Math.min(asOf - 60_000, createdAt + Math.floor(random.next() * Math.min(ageDays, 10) * DAY_MS));
  const deletedAt = random.chance(0.01) ? updatedAt : null;
  const comments = random.count(COMMENT_MEAN[status], 40);

  return {
    number,
    id: taskId(seed, organization.index, project.index, number),
    createdAt,
    type,
    status,
    priority,
    points,
    sprint,
    epic,
    assigneeId,
    creatorId,
    dueAt,
    completedAt,
    updatedAt,
    deletedAt,
    comments,
    random,
  };
}

function statusesAt(ageDays: number): Weighted<TaskStatus> {
  for (const band of STATUS_BY_AGE) if (ageDays < band.maxAgeDays) return band.statuses;
  return STATUS_BY_AGE[STATUS_BY_AGE.length - 1]?.statuses ?? [];
}

function dayAt(at: number, hour: number): number {
  return Math.floor(at / DAY_MS) * DAY_MS + hour * 3_600_000;
}

export type TimelineEntry = { organization: OrganizationPlan; project: ProjectPlan; task: TaskCore };

type Cursor = { organization: OrganizationPlan; project: ProjectPlan; task: TaskCore };

/**
 * Every task of every organization in creation order. A real table fills in time order with
 * all tenants interleaved, and benchmarks of tenant-scoped queries depend on that physical
 * layout; loading one organization after another would pack each tenant's rows together
 * and flatter every query. A k-way merge over the projects (one pending task each) keeps
 * memory at O(projects).
 */
export function* timeline(shape: ScaleShape): Generator<TimelineEntry> {
  const heap: Cursor[] = [];
  for (const organization of shape.organizations) {
    for (const project of organization.projects) {
      if (project.tasks > 0) heapPush(heap, { organization, project, task: deriveTask(shape, organization, project, 1) });
    }
  }
  for (;;) {
    const top = heap[0];
    if (!top) return;
    yield { organization: top.organization, project: top.project, task: top.task };
    const next = top.task.number + 1;
    if (next <= top.project.tasks) {
      heap[0] = { organization: top.organization, project: top.project, task: deriveTask(shape, top.organization, top.project, next) };
      siftDown(heap, 0);
    } else {
      heapPopTop(heap);
    }
  }
}

function before(a: Cursor, b: Cursor): boolean {
  return (
    a.task.createdAt < b.task.createdAt ||
    (a.task.createdAt === b.task.createdAt &&
      (a.organization.index < b.organization.index ||
        (a.organization.index === b.organization.index && a.project.index < b.project.index)))
  );
}

function heapPush(heap: Cursor[], cursor: Cursor): void {
  heap.push(cursor);
  let i = heap.length - 1;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    const up = heap[parent];
    if (!up || !before(cursor, up)) break;
    heap[i] = up;
    i = parent;
  }
  heap[i] = cursor;
}

function heapPopTop(heap: Cursor[]): void {
  const last = heap.pop();
  if (last && heap.length > 0) {
    heap[0] = last;
    siftDown(heap, 0);
  }
}

/** Moves heap[start] down to its place. Hot path: plain loops, nothing allocated. */
function siftDown(heap: Cursor[], start: number): void {
  const moving = heap[start];
  if (!moving) return;
  let i = start;
  for (;;) {
    let child = 2 * i + 1;
    let smaller = heap[child];
    if (!smaller) break;
    const right = heap[child + 1];
    if (right && before(right, smaller)) {
      child += 1;
      smaller = right;
    }
    if (!before(smaller, moving)) break;
    heap[i] = smaller;
    i = child;
  }
  heap[i] = moving;
}

import { type DemoProject, SLOTS, type Slot } from './content/projects.js';
import type { OrganizationSeed } from './context.js';
import { nthPositionKey } from '../features/tasks/position.js';
import { completedAt, seedSprintHistory } from './demo-sprint-history.js';
import { jsonb } from './writer.js';

type TaskStatus = 'todo' | 'in_progress' | 'in_review' | 'done' | 'canceled';
type Priority = 'low' | 'medium' | 'high' | 'urgent';
/** Index into the project's sprints: the completed, the active and the planned one. */
type SprintIndex = 0 | 1 | 2;

type TaskShape = {
  sprint: SprintIndex | null;
  status: TaskStatus;
  priority: Priority;
  points: number | null;
  epic: 0 | 1 | null;
  assignee: Slot | null;
  creator: Slot;
};

/**
 * How the eighteen tasks of every project are spread: together they cover every status and
 * priority (the content covers every type), the three sprints and the backlog, both epics,
 * assigned and unassigned work. How each got there (sprint moves, status changes, a
 * re-estimate) is in demo-sprint-history.ts, which must end in these shapes.
 */
const TASK_SHAPES: TaskShape[] = [
  { sprint: 0, status: 'done', priority: 'high', points: 3, epic: 0, assignee: 'member', creator: 'owner' },
  { sprint: 0, status: 'done', priority: 'urgent', points: 5, epic: 0, assignee: 'admin', creator: 'owner' },
  { sprint: 0, status: 'done', priority: 'medium', points: 2, epic: null, assignee: 'consultant', creator: 'admin' },
  { sprint: 0, status: 'done', priority: 'low', points: 1, epic: null, assignee: 'member', creator: 'admin' },
  { sprint: 0, status: 'canceled', priority: 'low', points: 2, epic: 0, assignee: null, creator: 'member' },
  { sprint: 1, status: 'done', priority: 'high', points: 5, epic: 1, assignee: 'admin', creator: 'owner' },
  { sprint: 1, status: 'in_review', priority: 'urgent', points: 3, epic: 1, assignee: 'member', creator: 'consultant' },
  { sprint: 1, status: 'in_progress', priority: 'medium', points: 2, epic: null, assignee: 'consultant', creator: 'admin' },
  { sprint: 1, status: 'in_progress', priority: 'high', points: 8, epic: 1, assignee: 'member', creator: 'owner' },
  { sprint: 1, status: 'todo', priority: 'medium', points: 5, epic: 1, assignee: null, creator: 'admin' },
  { sprint: 1, status: 'todo', priority: 'urgent', points: 3, epic: null, assignee: 'admin', creator: 'member' },
  { sprint: 1, status: 'done', priority: 'low', points: 1, epic: null, assignee: 'owner', creator: 'owner' },
  { sprint: 2, status: 'todo', priority: 'high', points: 5, epic: 1, assignee: null, creator: 'owner' },
  { sprint: 2, status: 'todo', priority: 'medium', points: 8, epic: 1, assignee: null, creator: 'admin' },
  { sprint: 2, status: 'todo', priority: 'low', points: 3, epic: null, assignee: 'member', creator: 'member' },
  { sprint: null, status: 'todo', priority: 'low', points: null, epic: null, assignee: null, creator: 'consultant' },
  { sprint: null, status: 'todo', priority: 'medium', points: 13, epic: 0, assignee: null, creator: 'owner' },
  { sprint: null, status: 'canceled', priority: 'low', points: 2, epic: null, assignee: null, creator: 'admin' },
];

/** Sprint windows in days from today: two weeks each, the active one around today. */
const SPRINTS: { status: 'completed' | 'active' | 'planning'; start: number }[] = [
  { status: 'completed', start: -21 },
  { status: 'active', start: -7 },
  { status: 'planning', start: 7 },
];
const SPRINT_DAYS = 14;
/** Task n (from 0) was created on day CREATED_DAY + n at CREATED_HOUR:00 UTC. */
const CREATED_DAY = -30;
const CREATED_HOUR = 10;

/** Discussion on a few tasks, by task position. */
const COMMENTS: Record<number, { author: Slot; body: string; edited?: boolean }[]> = {
  1: [{ author: 'owner', body: 'Checked this with our pilot customer: it matches how they work.' }],
  2: [
    { author: 'member', body: 'Reproduced on staging. It started with the last release.' },
    { author: 'admin', body: 'Fix verified on staging, closing.' },
  ],
  6: [
    { author: 'member', body: 'Fix is up for review, with a regression test.' },
    { author: 'consultant', body: 'Looks good; one question about the test data inline.', edited: true },
    { author: 'member', body: 'Answered, and renamed the fixture so it is clearer.' },
  ],
  8: [{ author: 'admin', body: 'If this does not fit the sprint, split off the UI part.' }],
};

/** Velocity and what is left: the history the predictions are computed from. */
export function projectHistory(project: DemoProject): { velocity: number; remainingPoints: number; openTasks: number } {
  const shapes = TASK_SHAPES.slice(0, project.tasks.length);
  const velocity = shapes.filter((s) => s.sprint === 0 && s.status === 'done').reduce((sum, s) => sum + (s.points ?? 0), 0);
  const open = shapes.filter((s) => s.status !== 'done' && s.status !== 'canceled');
  return { velocity, remainingPoints: open.reduce((sum, s) => sum + (s.points ?? 0), 0), openTasks: open.length };
}

/** Projects with their team, epics, sprints, tasks and comments. */
export async function seedWork(seed: OrganizationSeed): Promise<void> {
  for (const project of seed.organization.projects) await seedProject(seed, project);
}

async function seedProject(seed: OrganizationSeed, project: DemoProject): Promise<void> {
  const { writer, clock } = seed;
  const projectId = seed.rowId('project', project.key);
  const lead = leadOf(project);
  await writer.actAs(seed.user(lead));

  await writer.insert('projects', [
    {
      organization_id: seed.id,
      id: projectId,
      name: project.name,
      key: project.key,
      description: project.description,
      status: project.status,
      owner_id: seed.user(lead),
      created_by_id: seed.user('owner'),
      start_date: clock.date(-35),
      end_date: clock.date(120),
      settings: jsonb({ sprintLengthDays: SPRINT_DAYS, estimation: 'story_points', defaultTaskType: 'story' }),
      created_at: clock.at(-35),
    },
  ]);

  await writer.insert(
    'project_members',
    SLOTS.map((slot) => ({
      organization_id: seed.id,
      id: seed.rowId('project_member', project.key, slot),
      project_id: projectId,
      user_id: seed.user(slot),
      role: project.team[slot],
    })),
  );

  const epicIds = project.epics.map((_, index) => seed.rowId('epic', project.key, index));
  await writer.insert(
    'epics',
    project.epics.map((title, index) => ({
      organization_id: seed.id,
      id: epicIds[index],
      project_id: projectId,
      title,
      description: `${title}: one of the two themes of ${project.name} this quarter.`,
      status: index === 0 ? 'in_progress' : 'open',
      owner_id: seed.user(lead),
      start_date: clock.date(-28 + index * 14),
      target_date: clock.date(35 + index * 28),
    })),
  );

  const sprintIds = SPRINTS.map((_, index) => seed.rowId('sprint', project.key, index));
  const { velocity } = projectHistory(project);
  await writer.insert(
    'sprints',
    SPRINTS.map((sprint, index) => ({
      organization_id: seed.id,
      id: sprintIds[index],
      project_id: projectId,
      name: `${project.key} Sprint ${index + 1}`,
      goal: project.sprintGoals[index],
      start_date: clock.date(sprint.start),
      end_date: clock.date(sprint.start + SPRINT_DAYS - 1),
      status: sprint.status,
      velocity: sprint.status === 'completed' ? velocity : null,
      completed_at: sprint.status === 'completed' ? clock.at(sprint.start + SPRINT_DAYS - 1, 17) : null,
    })),
  );

  const taskIds = project.tasks.map((_, index) => seed.rowId('task', project.key, index + 1));
  await writer.insert(
    'tasks',
    project.tasks.map(([type, title], index) => {
      const shape = shapeAt(index);
      const sprint = shape.sprint === null ? null : SPRINTS[shape.sprint];
      const epic = shape.epic === null ? null : project.epics[shape.epic];
      return {
        organization_id: seed.id,
        id: taskIds[index],
        project_id: projectId,
        number: index + 1,
        type,
        epic_id: shape.epic === null ? null : epicIds[shape.epic],
        sprint_id: shape.sprint === null ? null : sprintIds[shape.sprint],
        title,
        description: describeTask(type, project, epic),
        acceptance_criteria: type === 'story' ? acceptanceCriteria(title) : null,
        status: shape.status,
        priority: shape.priority,
        story_points: shape.points,
        assignee_id: shape.assignee === null ? null : seed.user(shape.assignee),
        created_by_id: seed.user(shape.creator),
        due_date: sprint && sprint.status !== 'completed' ? clock.at(sprint.start + SPRINT_DAYS - 1, 17) : null,
        // Completions are supplied (as an import would), on the day the sprint history has them done.
        completed_at: shape.status === 'done' ? (completedAt(clock, index) ?? undefined) : undefined,
        position: nthPositionKey(index),
        created_at: clock.at(CREATED_DAY + index, CREATED_HOUR),
      };
    }),
  );
  await seedSprintHistory(
    seed,
    project.key,
    taskIds.map((id, index) => {
      const shape = shapeAt(index);
      return { id, sprint: shape.sprint, status: shape.status, points: shape.points, createdDay: CREATED_DAY + index, createdHour: CREATED_HOUR };
    }),
    sprintIds,
  );

  await writer.insert(
    'comments',
    Object.entries(COMMENTS).flatMap(([position, thread]) =>
      thread.map((comment, index) => ({
        organization_id: seed.id,
        id: seed.rowId('comment', project.key, position, index),
        task_id: taskIds[Number(position)],
        author_id: seed.user(comment.author),
        body: comment.body,
        edited_at: comment.edited ? clock.at(-2, 16) : null,
        created_at: clock.at(-3 + index, 11 + index),
      })),
    ),
  );
}

/** Who leads `project`. */
export function leadOf(project: DemoProject): Slot {
  const lead = SLOTS.find((slot) => project.team[slot] === 'lead');
  if (!lead) throw new Error(`demo project ${project.key} has no lead`);
  return lead;
}

function shapeAt(index: number): TaskShape {
  const shape = TASK_SHAPES[index];
  if (!shape) throw new Error(`demo projects have at most ${TASK_SHAPES.length} tasks`);
  return shape;
}

function describeTask(type: string, project: DemoProject, epic: string | null): string {
  const context = epic ? `Part of the "${epic}" epic of ${project.name}.` : `Part of ${project.name}.`;
  switch (type) {
    case 'bug':
      return `${context}\n\nSeen on the latest staging build. Reproduction notes are in the comments.`;
    case 'story':
      return `${context}\n\nAgreed with the stakeholders during backlog refinement.`;
    default:
      return context;
  }
}

function acceptanceCriteria(title: string): string {
  return [
    `Given the story "${title}"`,
    'When it is demonstrated on staging',
    'Then the stakeholder who asked for it accepts it',
    'And an automated test covers its main path',
  ].join('\n');
}

import { seedId } from '../ids.js';
import { Random, apportion, zipfWeights } from './random.js';
import { companyName, personName, projectName } from './vocabulary.js';

export const DAY_MS = 86_400_000;
/** How far back the oldest organization goes: created_at values spread over two years. */
export const HISTORY_DAYS = 730;
export const SPRINT_DAYS = 14;

/** Zipf exponent of organization sizes: with 1,000 organizations the largest holds ~13% of all tasks, the smallest ~0.01%. */
const ORGANIZATION_SKEW = 1.0;
/** Zipf exponent of project sizes inside an organization: flatter, as teams split work more evenly. */
const PROJECT_SKEW = 0.8;

/** What a derived id or random stream describes; part of every key, so two kinds never share one. */
export const KIND = {
  organization: 1,
  user: 2,
  member: 3,
  subscription: 4,
  project: 5,
  projectMember: 6,
  epic: 7,
  sprint: 8,
  task: 9,
  taskText: 10,
  comment: 11,
  document: 12,
  audit: 13,
  sizes: 14,
} as const;

export type PlanCode = 'free' | 'pro' | 'enterprise';
export type MemberRole = 'owner' | 'admin' | 'member' | 'viewer';

export type MemberPlan = {
  memberId: string;
  userId: string;
  role: MemberRole;
  firstName: string;
  lastName: string;
  email: string;
  joinedAt: number;
};

export type ProjectPlan = {
  organizationIndex: number;
  index: number;
  id: string;
  key: string;
  name: string;
  status: 'planning' | 'active' | 'on_hold' | 'completed';
  /** Midnight UTC of the day the project started; sprints and task dates count from it. */
  startedAt: number;
  tasks: number;
  /** Indexes into the organization's members: the project team, its lead first. */
  team: number[];
  /** Two-week sprints from the start until one past today; 0 for a kanban project. */
  sprints: number;
  epics: number;
  documents: number;
};

export type OrganizationPlan = {
  index: number;
  id: string;
  slug: string;
  name: string;
  createdAt: number;
  tasks: number;
  plan: PlanCode;
  members: MemberPlan[];
  projects: ProjectPlan[];
};

export type ScaleShape = {
  seed: number;
  /** Midnight UTC of the day the data is "as of": every date is relative to it. */
  asOf: number;
  organizations: OrganizationPlan[];
};

/** The slug prefix of every organization a given seed creates; how a second run recognises the first. */
export function slugPrefix(seed: number): string {
  return `scale-${seed}-`;
}

/**
 * Decides the shape of the whole data set up front (who, which projects, how many tasks
 * where) from the seed alone. It is small — a few objects per organization and project —
 * so it stays in memory while the big tables are streamed from it.
 */
export function planShape(options: { organizations: number; tasks: number; seed: number; asOf: Date }): ScaleShape {
  const { seed } = options;
  const asOf = Math.floor(options.asOf.getTime() / DAY_MS) * DAY_MS;
  const sizes = apportion(options.tasks, zipfWeights(Random.of([seed, KIND.sizes]), options.organizations, ORGANIZATION_SKEW));
  return {
    seed,
    asOf,
    organizations: sizes.map((tasks, index) => planOrganization(seed, asOf, index, tasks)),
  };
}

function planOrganization(seed: number, asOf: number, index: number, tasks: number): OrganizationPlan {
  const random = Random.of([seed, KIND.organization, index]);
  // Between half a year and two years old; the time between creation and today is when its work happened.
  const ageDays = Math.floor(HISTORY_DAYS * (0.25 + 0.75 * random.next()));
  const createdAt = asOf - ageDays * DAY_MS + random.int(8, 17) * 3_600_000;
  const slug = `${slugPrefix(seed)}${index}`;
  const memberCount = Math.min(2_000, Math.max(2, Math.round(2 + 0.8 * Math.sqrt(tasks) * (0.7 + 0.6 * random.next()))));
  const members = planMembers(seed, asOf, index, createdAt, memberCount, random);
  const projectCount = Math.min(150, Math.max(1, Math.round(Math.sqrt(tasks) / 3)));
  const projectTasks = apportion(tasks, zipfWeights(random, projectCount, PROJECT_SKEW));
  const usedNames = new Set<string>();
  const projects = projectTasks.map((count, projectIndex) =>
    planProject(seed, asOf, index, createdAt, projectIndex, count, members, usedNames),
  );
  return {
    index,
    id: seedId('scale', seed, 'organization', index),
    slug,
    name: companyName(random),
    createdAt,
    tasks,
    plan: planFor(tasks, members.length, projects.length),
    members,
    projects,
  };
}

/** The cheapest plan whose limits (see reference-data.ts) the organization fits in. */
function planFor(tasks: number, members: number, projects: number): PlanCode {
  if (tasks <= 500 && members <= 5 && projects <= 3) return 'free';
  if (tasks <= 50_000 && members <= 50 && projects <= 50) return 'pro';
  return 'enterprise';
}

function planMembers(seed: number, asOf: number, organization: number, createdAt: number, count: number, random: Random): MemberPlan[] {
  const members: MemberPlan[] = [];
  for (let n = 0; n < count; n++) {
    const name = personName(random);
    // Most people join early; the owner is there from the first minute.
    const joinedAt = n === 0 ? createdAt : createdAt + Math.floor((asOf - createdAt) * random.next() ** 3);
    const role: MemberRole =
      n === 0 ? 'owner' : n <= Math.max(1, Math.round(count * 0.05)) ? 'admin' : random.chance(0.15) ? 'viewer' : 'member';
    members.push({
      memberId: seedId('scale', seed, 'member', organization, n),
      userId: seedId('scale', seed, 'user', organization, n),
      role,
      firstName: name.first,
      lastName: name.last,
      email: `user-${seed}-${organization}-${n}@scale.example`,
      joinedAt,
    });
  }
  return members;
}

function planProject(
  seed: number,
  asOf: number,
  organization: number,
  organizationCreatedAt: number,
  index: number,
  tasks: number,
  members: MemberPlan[],
  usedNames: Set<string>,
): ProjectPlan {
  const random = Random.of([seed, KIND.project, organization, index]);
  const { codename, area } = projectName(random);
  const baseName = `${codename} ${area}`;
  const name = usedNames.has(baseName) ? `${baseName} ${index + 1}` : baseName;
  usedNames.add(name);
  const firstDay = Math.ceil(organizationCreatedAt / DAY_MS) * DAY_MS;
  const lastDay = asOf - 7 * DAY_MS;
  // Most projects start early in the organization's life; a few are recent.
  const startedAt = Math.min(lastDay, firstDay + Math.floor(((lastDay - firstDay) * random.next() ** 1.5) / DAY_MS) * DAY_MS);
  // Viewers watch, they do not carry tasks.
  const workers = members.map((member, i) => ({ member, i })).filter(({ member }) => member.role !== 'viewer').map(({ i }) => i);
  const teamSize = Math.min(40, Math.max(1, Math.round(members.length * (0.2 + 0.4 * random.next()))));
  const team = random.sample(workers.length > 0 ? workers : [0], teamSize);
  const usesSprints = tasks >= 20 && random.chance(0.65);
  return {
    organizationIndex: organization,
    index,
    id: seedId('scale', seed, 'project', organization, index),
    key: `${codename.slice(0, 3).toUpperCase()}${index + 1}`,
    name,
    status: random.weighted([['active', 60], ['completed', 20], ['on_hold', 10], ['planning', 10]] as const),
    startedAt,
    tasks,
    team,
    sprints: usesSprints ? Math.floor((asOf - startedAt) / (SPRINT_DAYS * DAY_MS)) + 2 : 0,
    epics: tasks < 10 ? 0 : Math.min(40, Math.max(1, Math.round(tasks / 40))),
    documents: Math.min(25, 1 + Math.floor(tasks / 120)),
  };
}

/** The sprint a moment falls in, counted from the project's start. */
export function sprintAt(project: ProjectPlan, at: number): number {
  return Math.floor((at - project.startedAt) / (SPRINT_DAYS * DAY_MS));
}

export function sprintStart(project: ProjectPlan, sprint: number): number {
  return project.startedAt + sprint * SPRINT_DAYS * DAY_MS;
}

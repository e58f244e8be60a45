import { DAY_MS, KIND, type PlanCode, type ScaleShape, SPRINT_DAYS, sprintAt, sprintStart } from './plan.js';
import { nthPositionKey } from '../../features/tasks/position.js';
import { Random, fastUuid } from './random.js';
import {
  type DocumentType,
  acceptanceCriteria,
  commentBody,
  documentContent,
  documentTitle,
  epicTitle,
  slugify,
  sprintGoal,
  taskDescription,
  taskTitle,
} from './vocabulary.js';
import { type TaskCore, epicId, sprintId, timeline } from './work.js';

/** One value as COPY receives it: text, a number, a boolean or NULL. Timestamps are ISO strings. */
export type Cell = string | number | boolean | null;

export type GenerationContext = {
  shape: ScaleShape;
  /** subscription_plans ids by code, read from the database (the reference data). */
  planIds: Record<PlanCode, string>;
};

/** How a table's rows appear in audit_logs, as app.audit_row_change() would have written them. */
export type AuditSpec = {
  /** The column holding the tenant (organizations use their own id). */
  tenant: string;
  /** The column naming who made the row, when one does. */
  actor: string | null;
  /** Long text left out of new_values, to keep audit_logs a realistic size rather than a copy of every description. */
  omit?: readonly string[];
};

export type TableSpec = {
  table: string;
  columns: readonly string[];
  rows(context: GenerationContext): Iterable<Cell[]>;
  audit?: AuditSpec;
};

const iso = (ms: number): string => new Date(ms).toISOString();
const date = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

const users: TableSpec = {
  table: 'users',
  columns: ['id', 'name', 'email', 'email_verified', 'status', 'role', 'language', 'onboarding_completed', 'first_name', 'last_name', 'created_at', 'updated_at'],
  *rows({ shape }) {
    for (const organization of shape.organizations) {
      for (const m of organization.members) {
        const at = iso(m.joinedAt);
        yield [m.userId, `${m.firstName} ${m.lastName}`, m.email, true, 'active', 'user', 'en', true, m.firstName, m.lastName, at, at];
      }
    }
  },
};

const organizations: TableSpec = {
  table: 'organizations',
  columns: ['id', 'name', 'slug', 'domain', 'owner_id', 'settings', 'metadata', 'billing_email', 'created_at', 'updated_at'],
  *rows({ shape }) {
    const metadata = JSON.stringify({ source: 'tenantry db seed --scale', seed: shape.seed });
    for (const o of shape.organizations) {
      const at = iso(o.createdAt);
      yield [
        o.id, o.name, o.slug, `${o.slug}.scale.example`, o.members[0]?.userId ?? null,
        '{"timezone":"UTC","weekStartsOn":1}', metadata, `billing@${o.slug}.scale.example`, at, at,
      ];
    }
  },
  audit: { tenant: 'id', actor: 'owner_id' },
};

/** The slugs' registry (migrations/0016), which keeps them unique across organizations. */
const organizationSlugs: TableSpec = {
  table: 'organization_slugs',
  columns: ['slug', 'organization_ref', 'created_at', 'updated_at'],
  *rows({ shape }) {
    for (const o of shape.organizations) {
      const at = iso(o.createdAt);
      yield [o.slug, o.id, at, at];
    }
  },
};

const members: TableSpec = {
  table: 'members',
  columns: ['organization_id', 'id', 'user_id', 'role', 'created_at', 'updated_at'],
  *rows({ shape }) {
    for (const o of shape.organizations) {
      for (const m of o.members) yield [o.id, m.memberId, m.userId, m.role, iso(m.joinedAt), iso(m.joinedAt)];
    }
  },
  // The person accepted an invitation: they are the actor of their own membership.
  audit: { tenant: 'organization_id', actor: 'user_id' },
};

const subscriptions: TableSpec = {
  table: 'subscriptions',
  columns: [
    'organization_id', 'id', 'plan_id', 'status', 'current_period_start', 'current_period_end', 'trial_ends_at',
    'seats', 'provider', 'provider_customer_id', 'provider_subscription_id', 'created_at', 'updated_at',
  ],
  *rows({ shape, planIds }) {
    for (const o of shape.organizations) {
      const random = Random.of([shape.seed, KIND.subscription, o.index]);
      const status = o.plan === 'free' ? 'active' : random.weighted([['active', 85], ['trialing', 8], ['past_due', 7]] as const);
      const periodStart = shape.asOf - random.int(1, 29) * DAY_MS;
      const periodEnd = periodStart + 30 * DAY_MS;
      yield [
        o.id, fastUuid([shape.seed, KIND.subscription, o.index]), planIds[o.plan], status, iso(periodStart), iso(periodEnd),
        status === 'trialing' ? iso(periodEnd) : null, Math.max(1, o.members.length), o.plan === 'free' ? null : 'stripe',
        o.plan === 'free' ? null : `cus_scale_${o.slug}`, o.plan === 'free' ? null : `sub_scale_${o.slug}`,
        iso(o.createdAt), iso(periodStart),
      ];
    }
  },
  audit: { tenant: 'organization_id', actor: null },
};

const projects: TableSpec = {
  table: 'projects',
  columns: [
    'organization_id', 'id', 'name', 'key', 'description', 'status', 'owner_id', 'created_by_id', 'start_date',
    'end_date', 'settings', 'archived_at', 'created_at', 'updated_at',
  ],
  *rows({ shape }) {
    for (const o of shape.organizations) {
      for (const p of o.projects) {
        const random = Random.of([shape.seed, KIND.project, o.index, p.index, 1]);
        const lead = o.members[p.team[0] ?? 0]?.userId ?? null;
        const endsAt = p.status === 'completed' ? Math.min(shape.asOf, p.startedAt + random.int(30, 365) * DAY_MS) : null;
        const archivedAt = endsAt !== null && random.chance(0.5) ? endsAt + DAY_MS : null;
        yield [
          o.id, p.id, p.name, p.key, taskDescription(random), p.status, lead, lead, date(p.startedAt),
          endsAt === null ? null : date(endsAt), p.sprints > 0 ? '{"workflow":"scrum"}' : '{"workflow":"kanban"}',
          archivedAt === null ? null : iso(archivedAt), iso(p.startedAt), iso(archivedAt ?? p.startedAt),
        ];
      }
    }
  },
  audit: { tenant: 'organization_id', actor: 'created_by_id', omit: ['description'] },
};

const projectMembers: TableSpec = {
  table: 'project_members',
  columns: ['organization_id', 'id', 'project_id', 'user_id', 'role', 'created_at', 'updated_at'],
  *rows({ shape }) {
    for (const o of shape.organizations) {
      for (const p of o.projects) {
        const random = Random.of([shape.seed, KIND.projectMember, o.index, p.index]);
        for (const [i, memberIndex] of p.team.entries()) {
          const member = o.members[memberIndex];
          if (!member) continue;
          const role = i === 0 ? 'lead' : random.weighted([['contributor', 80], ['stakeholder', 12], ['viewer', 8]] as const);
          const at = iso(Math.max(p.startedAt, member.joinedAt));
          yield [o.id, fastUuid([shape.seed, KIND.projectMember, o.index, p.index, i]), p.id, member.userId, role, at, at];
        }
      }
    }
  },
  audit: { tenant: 'organization_id', actor: 'user_id' },
};

const epics: TableSpec = {
  table: 'epics',
  columns: ['organization_id', 'id', 'project_id', 'title', 'description', 'status', 'owner_id', 'start_date', 'target_date', 'created_at', 'updated_at'],
  *rows({ shape }) {
    for (const o of shape.organizations) {
      for (const p of o.projects) {
        for (let e = 0; e < p.epics; e++) {
          const random = Random.of([shape.seed, KIND.epic, o.index, p.index, e]);
          const startsAt = p.startedAt + Math.floor(random.next() * (shape.asOf - p.startedAt) / DAY_MS) * DAY_MS;
          const targetAt = startsAt + random.int(30, 120) * DAY_MS;
          const status =
            targetAt < shape.asOf ? random.weighted([['done', 80], ['canceled', 20]] as const) : startsAt > shape.asOf - 7 * DAY_MS ? 'open' : 'in_progress';
          const owner = o.members[p.team[random.int(0, p.team.length - 1)] ?? 0]?.userId ?? null;
          yield [
            o.id, epicId(shape.seed, o.index, p.index, e), p.id, epicTitle(random), taskDescription(random), status, owner,
            date(startsAt), date(targetAt), iso(startsAt), iso(Math.min(shape.asOf, targetAt)),
          ];
        }
      }
    }
  },
  audit: { tenant: 'organization_id', actor: 'owner_id', omit: ['description'] },
};

const sprints: TableSpec = {
  table: 'sprints',
  columns: ['organization_id', 'id', 'project_id', 'name', 'goal', 'start_date', 'end_date', 'status', 'velocity', 'completed_at', 'created_at', 'updated_at'],
  *rows({ shape }) {
    for (const o of shape.organizations) {
      for (const p of o.projects) {
        const current = sprintAt(p, shape.asOf);
        for (let s = 0; s < p.sprints; s++) {
          const random = Random.of([shape.seed, KIND.sprint, o.index, p.index, s]);
          const startsAt = sprintStart(p, s);
          const endsAt = startsAt + (SPRINT_DAYS - 1) * DAY_MS;
          const status = s < current ? 'completed' : s === current ? 'active' : 'planning';
          const completedAt = status === 'completed' ? endsAt + 17 * 3_600_000 : null;
          yield [
            o.id, sprintId(shape.seed, o.index, p.index, s), p.id, `Sprint ${s + 1}`, sprintGoal(random), date(startsAt), date(endsAt),
            status, status === 'completed' ? random.int(4, 6 + 3 * p.team.length) : null, completedAt === null ? null : iso(completedAt),
            iso(Math.max(p.startedAt, startsAt - 3 * DAY_MS)), iso(completedAt ?? Math.max(p.startedAt, startsAt - 3 * DAY_MS)),
          ];
        }
      }
    }
  },
  audit: { tenant: 'organization_id', actor: null },
};

const TASK_COLUMNS = [
  'organization_id', 'id', 'project_id', 'number', 'type', 'epic_id', 'sprint_id', 'title', 'description',
  'acceptance_criteria', 'status', 'priority', 'story_points', 'assignee_id', 'created_by_id', 'due_date',
  'completed_at', 'position', 'deleted_at', 'created_at', 'updated_at',
] as const;

const tasks: TableSpec = {
  table: 'tasks',
  columns: TASK_COLUMNS,
  *rows({ shape }) {
    for (const { organization: o, project: p, task: t } of timeline(shape)) {
      const random = t.random;
      const title = taskTitle(random, t.type);
      const description = random.chance(0.8) ? taskDescription(random) : null;
      const criteria = t.type === 'story' && random.chance(0.7) ? acceptanceCriteria(random) : null;
      yield [
        o.id, t.id, p.id, t.number, t.type, t.epic === null ? null : epicId(shape.seed, o.index, p.index, t.epic),
        t.sprint === null ? null : sprintId(shape.seed, o.index, p.index, t.sprint), title, description, criteria,
        t.status, t.priority, t.points, t.assigneeId, t.creatorId, t.dueAt === null ? null : iso(t.dueAt).slice(0, 10),
        t.completedAt === null ? null : iso(t.completedAt), nthPositionKey(t.number - 1), t.deletedAt === null ? null : iso(t.deletedAt),
        iso(t.createdAt), iso(t.updatedAt),
      ];
    }
  },
  audit: { tenant: 'organization_id', actor: 'created_by_id', omit: ['description', 'acceptance_criteria'] },
};

/** The comments of one task, spread between its creation and its completion (or today). */
export function* taskComments(shape: ScaleShape, organizationIndex: number, projectIndex: number, task: TaskCore): Generator<{
  id: string;
  authorId: string | null;
  body: string;
  createdAt: number;
  editedAt: number | null;
}> {
  if (task.comments === 0) return;
  const random = Random.of([shape.seed, KIND.comment, organizationIndex, projectIndex, task.number]);
  const until = task.completedAt ?? shape.asOf - 60_000;
  const span = Math.max(60_000, until - task.createdAt);
  for (let c = 0; c < task.comments; c++) {
    const createdAt = task.createdAt + Math.floor(((c + random.next()) / task.comments) * span);
    const authorId = random.chance(0.5) && task.assigneeId !== null ? task.assigneeId : task.creatorId;
    const body = commentBody(random);
    const editedAt = random.chance(0.08) ? createdAt + random.int(1, 120) * 60_000 : null;
    yield { id: fastUuid([shape.seed, KIND.comment, organizationIndex, projectIndex, task.number, c]), authorId, body, createdAt, editedAt };
  }
}

const comments: TableSpec = {
  table: 'comments',
  columns: ['organization_id', 'id', 'task_id', 'author_id', 'body', 'edited_at', 'created_at', 'updated_at'],
  *rows({ shape }) {
    for (const { organization: o, project: p, task } of timeline(shape)) {
      for (const c of taskComments(shape, o.index, p.index, task)) {
        yield [o.id, c.id, task.id, c.authorId, c.body, c.editedAt === null ? null : iso(c.editedAt), iso(c.createdAt), iso(c.editedAt ?? c.createdAt)];
      }
    }
  },
  audit: { tenant: 'organization_id', actor: 'author_id' },
};

const documents: TableSpec = {
  table: 'documents',
  columns: [
    'organization_id', 'id', 'project_id', 'title', 'slug', 'content', 'document_type', 'status', 'published_at',
    'creator_id', 'metadata', 'created_at', 'updated_at',
  ],
  *rows({ shape }) {
    for (const o of shape.organizations) {
      for (const p of o.projects) {
        for (let d = 0; d < p.documents; d++) {
          const random = Random.of([shape.seed, KIND.document, o.index, p.index, d]);
          const type = random.weighted<DocumentType>([['prd', 15], ['spec', 25], ['design', 10], ['note', 30], ['knowledge', 15], ['other', 5]]);
          const title = documentTitle(random, type);
          const status = random.weighted([['draft', 30], ['published', 60], ['archived', 10]] as const);
          const createdAt = p.startedAt + Math.floor(random.next() * (shape.asOf - p.startedAt));
          const updatedAt = Math.min(shape.asOf - 60_000, createdAt + random.int(0, 20) * DAY_MS);
          const creator = o.members[p.team[random.int(0, p.team.length - 1)] ?? 0]?.userId ?? null;
          yield [
            o.id, fastUuid([shape.seed, KIND.document, o.index, p.index, d]), p.id, title, `${slugify(title)}-${d + 1}`,
            documentContent(random, title), type, status, status === 'published' ? iso(updatedAt) : null, creator,
            '{"source":"tenantry db seed --scale"}', iso(createdAt), iso(updatedAt),
          ];
        }
      }
    }
  },
  audit: { tenant: 'organization_id', actor: 'creator_id', omit: ['content'] },
};

/** Every loaded table, parents before children, which is also the order foreign keys need. */
export const TABLES: readonly TableSpec[] = [
  users, organizationSlugs, organizations, members, subscriptions, projects, projectMembers, epics, sprints, tasks, comments, documents,
];

export const AUDIT_COLUMNS = [
  'organization_id', 'id', 'actor_user_id', 'action', 'resource_type', 'resource_id', 'changed_fields',
  'old_values', 'new_values', 'request_id', 'created_at', 'updated_at',
] as const;

export const AUDIT_REQUEST_ID = 'tenantry db seed --scale';

/**
 * The audit trail the triggers would have written, had they run: an 'insert' row per row of
 * every audited table, plus the 'update' that moved each finished task to done. Produced by
 * generating the tables again (cheaper than keeping them), in the same order.
 */
export function* auditRows(context: GenerationContext): Generator<Cell[]> {
  let sequence = 0;
  const nextId = () => fastUuid([context.shape.seed, KIND.audit, sequence++]);
  for (const spec of TABLES) {
    const audit = spec.audit;
    if (!audit) continue;
    const column = (name: string) => spec.columns.indexOf(name);
    const tenant = column(audit.tenant);
    const actor = audit.actor === null ? -1 : column(audit.actor);
    const id = column('id');
    const createdAt = column('created_at');
    const kept = spec.columns.map((name, i) => ({ name, i })).filter(({ name }) => !audit.omit?.includes(name));
    const status = column('status');
    const completedAt = column('completed_at');
    const isTasks = spec.table === 'tasks';
    for (const row of spec.rows(context)) {
      const values: Record<string, Cell> = {};
      for (const { name, i } of kept) values[name] = row[i] ?? null;
      const actorId = actor < 0 ? null : (row[actor] ?? null);
      yield [
        row[tenant] ?? null, nextId(), actorId, 'insert', spec.table, row[id] ?? null, null, null,
        JSON.stringify(values), AUDIT_REQUEST_ID, row[createdAt] ?? null, row[createdAt] ?? null,
      ];
      if (isTasks && row[status] === 'done') {
        const doneAt = row[completedAt] ?? null;
        yield [
          row[tenant] ?? null, nextId(), row[column('assignee_id')] ?? actorId, 'update', spec.table, row[id] ?? null,
          '{completed_at,status}', JSON.stringify({ status: 'in_review', completed_at: null }),
          JSON.stringify({ status: 'done', completed_at: doneAt }), AUDIT_REQUEST_ID, doneAt, doneAt,
        ];
      }
    }
  }
}

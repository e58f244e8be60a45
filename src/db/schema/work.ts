// Work management (migration 0003): projects, project members, epics, sprints, tasks,
// comments, documents and templates.
import { sql } from 'drizzle-orm';
import { date, index, integer, jsonb, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { fk, timestamps, timestamptz, tsvector, uniqueKey } from './common.js';
import { memberReference, tenantColumns, tenantKeys } from './organizations.js';
import { users } from './platform.js';

export const projectStatuses = ['planning', 'active', 'on_hold', 'completed'] as const;
export type ProjectStatus = (typeof projectStatuses)[number];
/** Who sees a project (migration 0024): the whole organization, or its project members and the organization's admins. */
export const projectVisibilities = ['organization', 'private'] as const;
export type ProjectVisibility = (typeof projectVisibilities)[number];

export const projects = pgTable(
  'projects',
  {
    ...tenantColumns,
    name: text('name').notNull(),
    /** Prefix of task references such as PROJ-42: `^[A-Z][A-Z0-9]{1,9}$`. */
    key: text('key').notNull(),
    description: text('description'),
    status: text('status', { enum: projectStatuses }).notNull().default('planning'),
    ownerId: uuid('owner_id'),
    createdById: uuid('created_by_id'),
    startDate: date('start_date'),
    endDate: date('end_date'),
    settings: jsonb('settings').$type<Record<string, unknown>>().notNull().default({}),
    archivedAt: timestamptz('archived_at'),
    deletedAt: timestamptz('deleted_at'),
    visibility: text('visibility', { enum: projectVisibilities }).notNull().default('organization'),
    ...timestamps,
  },
  (t) => [
    ...tenantKeys(t),
    index('projects_organization_id_private_idx').on(t.organizationId).where(sql`visibility = 'private'`),
    // Live rows only (migration 0011): a soft-deleted project frees its name and key.
    uniqueIndex('projects_organization_id_name_key').on(t.organizationId, t.name).where(sql`deleted_at is null`),
    uniqueIndex('projects_organization_id_key_key').on(t.organizationId, t.key).where(sql`deleted_at is null`),
    memberReference(t.organizationId, t.ownerId, 'no action'),
    memberReference(t.organizationId, t.createdById, 'no action'),
    index('projects_organization_id_status_idx').on(t.organizationId, t.status),
    index('projects_organization_id_owner_id_idx').on(t.organizationId, t.ownerId),
    index('projects_organization_id_created_by_id_idx').on(t.organizationId, t.createdById),
  ],
);

export const projectMemberRoles = ['lead', 'contributor', 'viewer', 'stakeholder'] as const;
export type ProjectMemberRole = (typeof projectMemberRoles)[number];

export const projectMembers = pgTable(
  'project_members',
  {
    ...tenantColumns,
    projectId: uuid('project_id').notNull(),
    userId: uuid('user_id').notNull(),
    role: text('role', { enum: projectMemberRoles }).notNull().default('contributor'),
    ...timestamps,
  },
  (t) => [
    ...tenantKeys(t),
    uniqueKey(t.organizationId, t.projectId, t.userId),
    fk([t.organizationId, t.projectId], [projects.organizationId, projects.id], 'cascade'),
    memberReference(t.organizationId, t.userId, 'cascade'),
    index('project_members_organization_id_user_id_idx').on(t.organizationId, t.userId),
  ],
);

export const epicStatuses = ['open', 'in_progress', 'done', 'canceled'] as const;
export type EpicStatus = (typeof epicStatuses)[number];

export const epics = pgTable(
  'epics',
  {
    ...tenantColumns,
    projectId: uuid('project_id').notNull(),
    title: text('title').notNull(),
    description: text('description'),
    status: text('status', { enum: epicStatuses }).notNull().default('open'),
    ownerId: uuid('owner_id'),
    startDate: date('start_date'),
    targetDate: date('target_date'),
    deletedAt: timestamptz('deleted_at'),
    ...timestamps,
  },
  (t) => [
    ...tenantKeys(t),
    // Target of tasks' reference, which includes the project.
    uniqueKey(t.organizationId, t.projectId, t.id),
    fk([t.organizationId, t.projectId], [projects.organizationId, projects.id], 'cascade'),
    memberReference(t.organizationId, t.ownerId, 'no action'),
    index('epics_organization_id_owner_id_idx').on(t.organizationId, t.ownerId),
  ],
);

export const sprintStatuses = ['planning', 'active', 'completed'] as const;
export type SprintStatus = (typeof sprintStatuses)[number];

export const sprints = pgTable(
  'sprints',
  {
    ...tenantColumns,
    projectId: uuid('project_id').notNull(),
    name: text('name').notNull(),
    goal: text('goal'),
    startDate: date('start_date'),
    endDate: date('end_date'),
    status: text('status', { enum: sprintStatuses }).notNull().default('planning'),
    /** Story points completed in the sprint. */
    velocity: integer('velocity'),
    completedAt: timestamptz('completed_at'),
    ...timestamps,
  },
  (t) => [
    ...tenantKeys(t),
    uniqueKey(t.organizationId, t.projectId, t.id),
    fk([t.organizationId, t.projectId], [projects.organizationId, projects.id], 'cascade'),
    uniqueIndex('sprints_one_active_per_project_idx')
      .on(t.organizationId, t.projectId)
      .where(sql`status = 'active'`),
  ],
);

export const taskTypes = ['task', 'story', 'bug', 'chore'] as const;
export type TaskType = (typeof taskTypes)[number];
export const taskStatuses = ['todo', 'in_progress', 'in_review', 'done', 'canceled'] as const;
export type TaskStatus = (typeof taskStatuses)[number];
export const taskPriorities = ['low', 'medium', 'high', 'urgent'] as const;
export type TaskPriority = (typeof taskPriorities)[number];

/** One work-item table for seed 000's tasks, seed 003's todos and seed 004's stories. */
export const tasks = pgTable(
  'tasks',
  {
    ...tenantColumns,
    projectId: uuid('project_id').notNull(),
    /**
     * Per-project number (PROJ-42). Inserting DEFAULT (there is no column default) leaves it
     * NULL for the assign_task_number trigger, which fills it race-free.
     */
    number: integer('number')
      .notNull()
      .$defaultFn(() => sql`default`),
    type: text('type', { enum: taskTypes }).notNull().default('task'),
    epicId: uuid('epic_id'),
    sprintId: uuid('sprint_id'),
    title: text('title').notNull(),
    description: text('description'),
    acceptanceCriteria: text('acceptance_criteria'),
    status: text('status', { enum: taskStatuses }).notNull().default('todo'),
    priority: text('priority', { enum: taskPriorities }).notNull().default('medium'),
    storyPoints: integer('story_points'),
    assigneeId: uuid('assignee_id'),
    createdById: uuid('created_by_id'),
    /** A day, `2026-12-24` (migration 0010). */
    dueDate: date('due_date'),
    /** Set by a trigger when status becomes done, cleared when it leaves done. */
    completedAt: timestamptz('completed_at'),
    /**
     * Fractional index key ordering the project (migration 0010; compare under COLLATE "C",
     * which the column carries). Inserting DEFAULT leaves it NULL for the assign_task_position
     * trigger, which appends the task to its project.
     */
    position: text('position')
      .notNull()
      .$defaultFn(() => sql`default`),
    searchVector: tsvector('search_vector').generatedAlwaysAs(
      sql`setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A')
        || setweight(to_tsvector('english'::regconfig, coalesce(description, '')), 'B')
        || setweight(to_tsvector('english'::regconfig, coalesce(acceptance_criteria, '')), 'C')`,
    ),
    deletedAt: timestamptz('deleted_at'),
    ...timestamps,
  },
  (t) => [
    ...tenantKeys(t),
    uniqueKey(t.organizationId, t.projectId, t.number),
    fk([t.organizationId, t.projectId], [projects.organizationId, projects.id], 'cascade'),
    // Through the project, so a task's epic and sprint are always in its own project.
    fk([t.organizationId, t.projectId, t.epicId], [epics.organizationId, epics.projectId, epics.id], 'no action'),
    fk([t.organizationId, t.projectId, t.sprintId], [sprints.organizationId, sprints.projectId, sprints.id], 'no action'),
    memberReference(t.organizationId, t.assigneeId, 'no action'),
    memberReference(t.organizationId, t.createdById, 'no action'),
    index('tasks_organization_id_project_id_id_idx').on(t.organizationId, t.projectId, t.id),
    index('tasks_organization_id_project_id_status_id_idx').on(t.organizationId, t.projectId, t.status, t.id),
    index('tasks_organization_id_assignee_id_idx').on(t.organizationId, t.assigneeId),
    index('tasks_organization_id_created_by_id_idx').on(t.organizationId, t.createdById),
    index('tasks_organization_id_sprint_id_idx').on(t.organizationId, t.sprintId, t.projectId),
    index('tasks_organization_id_epic_id_idx').on(t.organizationId, t.epicId, t.projectId),
    // btree_gin: one project's matches of a word, from one index (migrations/0018).
    index('tasks_project_id_search_vector_idx').using('gin', t.projectId, t.searchVector),
    uniqueIndex('tasks_organization_id_project_id_position_key')
      .on(t.organizationId, t.projectId, t.position)
      .where(sql`deleted_at is null`),
    index('tasks_organization_id_updated_at_id_idx').on(t.organizationId, t.updatedAt, t.id),
  ],
);

export const comments = pgTable(
  'comments',
  {
    ...tenantColumns,
    taskId: uuid('task_id').notNull(),
    authorId: uuid('author_id'),
    body: text('body').notNull(),
    editedAt: timestamptz('edited_at'),
    deletedAt: timestamptz('deleted_at'),
    ...timestamps,
  },
  (t) => [
    ...tenantKeys(t),
    fk([t.organizationId, t.taskId], [tasks.organizationId, tasks.id], 'cascade'),
    memberReference(t.organizationId, t.authorId, 'no action'),
    index('comments_organization_id_task_id_created_at_idx').on(t.organizationId, t.taskId, t.createdAt),
    index('comments_organization_id_author_id_idx').on(t.organizationId, t.authorId),
  ],
);

export const documentTypes = ['prd', 'spec', 'design', 'note', 'knowledge', 'other'] as const;
export type DocumentType = (typeof documentTypes)[number];
export const documentStatuses = ['draft', 'published', 'archived'] as const;
export type DocumentStatus = (typeof documentStatuses)[number];

/** PRDs, specs, designs, notes and seed 002's project knowledge, in markdown. */
export const documents = pgTable(
  'documents',
  {
    ...tenantColumns,
    projectId: uuid('project_id').notNull(),
    title: text('title').notNull(),
    slug: text('slug').notNull(),
    content: text('content').notNull().default(''),
    documentType: text('document_type', { enum: documentTypes }).notNull().default('note'),
    status: text('status', { enum: documentStatuses }).notNull().default('draft'),
    /** Required once status is published. */
    publishedAt: timestamptz('published_at'),
    creatorId: uuid('creator_id'),
    metadata: jsonb('metadata').$type<Record<string, unknown>>().notNull().default({}),
    searchVector: tsvector('search_vector').generatedAlwaysAs(
      sql`setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A')
        || setweight(to_tsvector('english'::regconfig, coalesce(content, '')), 'B')`,
    ),
    deletedAt: timestamptz('deleted_at'),
    ...timestamps,
  },
  (t) => [
    ...tenantKeys(t),
    // Live rows only (migration 0011): a soft-deleted document frees its slug.
    uniqueIndex('documents_organization_id_project_id_slug_key').on(t.organizationId, t.projectId, t.slug).where(sql`deleted_at is null`),
    index('documents_organization_id_project_id_idx').on(t.organizationId, t.projectId),
    fk([t.organizationId, t.projectId], [projects.organizationId, projects.id], 'cascade'),
    memberReference(t.organizationId, t.creatorId, 'no action'),
    index('documents_organization_id_creator_id_idx').on(t.organizationId, t.creatorId),
    index('documents_search_vector_idx').using('gin', t.searchVector),
  ],
);

export const templateCategories = ['project', 'document', 'story', 'prompt'] as const;
export type TemplateCategory = (typeof templateCategories)[number];

/** An organization's own templates (migration 0015); the platform's are public_templates. */
export const templates = pgTable(
  'templates',
  {
    ...tenantColumns,
    name: text('name').notNull(),
    description: text('description'),
    category: text('category', { enum: templateCategories }).notNull(),
    content: jsonb('content').$type<Record<string, unknown>>().notNull().default({}),
    createdById: uuid('created_by_id'),
    ...timestamps,
  },
  (t) => [
    ...tenantKeys(t),
    fk([t.createdById], [users.id], 'set null'),
    index('templates_created_by_id_idx').on(t.createdById),
  ],
);

/**
 * Templates the platform publishes, readable by every organization (seed 002): a platform
 * table, so no organization_id, and a reference table on Citus.
 */
export const publicTemplates = pgTable(
  'public_templates',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    description: text('description'),
    category: text('category', { enum: templateCategories }).notNull(),
    content: jsonb('content').$type<Record<string, unknown>>().notNull().default({}),
    createdById: uuid('created_by_id'),
    ...timestamps,
  },
  (t) => [fk([t.createdById], [users.id], 'set null'), index('public_templates_created_by_id_idx').on(t.createdById)],
);

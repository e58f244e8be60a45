// The audit trail (migration 0002). Rows are written by the audit_row_change trigger on
// every tenant table and by the auth layer for auth events.
import { sql } from 'drizzle-orm';
import { index, inet, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { pk, timestamps } from './common.js';

/** Row changes from the trigger, or `auth.*` / `app.*` events written by the application. */
export type AuditAction = 'insert' | 'update' | 'delete' | `auth.${string}` | `app.${string}`;

/**
 * No foreign keys on purpose: the record of a deletion (of a row, a user, a whole
 * organization) must survive the deletion.
 */
export const auditLogs = pgTable(
  'audit_logs',
  {
    organizationId: uuid('organization_id').notNull(),
    id: uuid('id').notNull().defaultRandom(),
    actorUserId: uuid('actor_user_id'),
    action: text('action').$type<AuditAction>().notNull(),
    resourceType: text('resource_type').notNull(),
    resourceId: uuid('resource_id'),
    changedFields: text('changed_fields').array(),
    /** Row images with *_ciphertext, wrapped_data_key and search_vector removed. */
    oldValues: jsonb('old_values').$type<Record<string, unknown>>(),
    newValues: jsonb('new_values').$type<Record<string, unknown>>(),
    ipAddress: inet('ip_address'),
    userAgent: text('user_agent'),
    requestId: text('request_id'),
    ...timestamps,
  },
  (t) => [
    pk(t.organizationId, t.id),
    index('audit_logs_organization_id_created_at_id_idx').on(t.organizationId, t.createdAt.desc(), t.id.desc()),
    index('audit_logs_organization_id_resource_idx').on(t.organizationId, t.resourceType, t.resourceId),
    index('audit_logs_organization_id_actor_user_id_idx').on(t.organizationId, t.actorUserId),
    // A project's activity (migration 0019): its tables' rows by the project id they carry, comments by task and by time.
    index('audit_logs_organization_id_project_id_created_at_id_idx')
      .on(t.organizationId, sql`(coalesce(new_values ->> 'project_id', old_values ->> 'project_id'))`, t.createdAt.desc(), t.id.desc())
      .where(sql`coalesce(new_values ->> 'project_id', old_values ->> 'project_id') is not null`),
    index('audit_logs_organization_id_comment_task_id_created_at_id_idx')
      .on(t.organizationId, sql`(coalesce(new_values ->> 'task_id', old_values ->> 'task_id'))`, t.createdAt.desc(), t.id.desc())
      .where(sql`resource_type = 'comments'`),
    index('audit_logs_organization_id_comments_created_at_id_idx')
      .on(t.organizationId, t.createdAt.desc(), t.id.desc())
      .where(sql`resource_type = 'comments'`),
  ],
);

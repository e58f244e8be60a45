import { sql } from 'drizzle-orm';
import type { Tx } from './tenant-context.js';

/**
 * The references that once were `ON DELETE SET NULL (col)` (migrations/0014): Citus refuses
 * that action on a key that includes organization_id, so the keys are NO ACTION and whatever
 * deletes a parent row clears these columns first, in the same transaction. Keyed by the
 * parent table; `key` is the parent column the references hold (a member is referenced by
 * its user id).
 */
export const CLEARED_REFERENCES = {
  members: {
    key: 'user_id',
    references: [
      ['ai_generations', 'user_id'],
      ['ai_providers', 'created_by_id'],
      ['comments', 'author_id'],
      ['documents', 'creator_id'],
      ['epics', 'owner_id'],
      ['gaps', 'identified_by_id'],
      ['integrations', 'created_by_id'],
      ['invitations', 'inviter_id'],
      ['predictions', 'created_by_id'],
      ['project_assets', 'uploaded_by_id'],
      ['project_prompts', 'user_id'],
      ['projects', 'created_by_id'],
      ['projects', 'owner_id'],
      ['tasks', 'assignee_id'],
      ['tasks', 'created_by_id'],
    ],
  },
  projects: { key: 'id', references: [['ai_generations', 'project_id']] },
  ai_providers: { key: 'id', references: [['ai_generations', 'ai_provider_id']] },
  epics: { key: 'id', references: [['tasks', 'epic_id']] },
  sprints: { key: 'id', references: [['tasks', 'sprint_id'], ['task_sprint_states', 'sprint_id']] },
} as const satisfies Record<string, { key: string; references: readonly (readonly [string, string])[] }>;

export type ClearedParent = keyof typeof CLEARED_REFERENCES;

export function isClearedParent(table: string): table is ClearedParent {
  return Object.hasOwn(CLEARED_REFERENCES, table);
}

/**
 * Sets to NULL every reference to the given rows of `parent` (by its `key` column) in one
 * organization: call it right before deleting them. Each update is routed to the tenant's
 * shard on Citus, like the delete that follows.
 *
 * @example
 * await clearReferences(tx, organizationId, 'members', [userId]);
 * await tx.delete(members).where(…);
 */
export async function clearReferences(tx: Tx, organizationId: string, parent: ClearedParent, keys: string[]): Promise<void> {
  if (keys.length === 0) return;
  const ids = sql`array[${sql.join(keys.map((key) => sql`${key}::uuid`), sql`, `)}]`;
  for (const [table, column] of CLEARED_REFERENCES[parent].references) {
    await tx.execute(
      sql`update ${sql.identifier(table)} set ${sql.identifier(column)} = null
           where organization_id = ${organizationId}::uuid and ${sql.identifier(column)} = any(${ids})`,
    );
  }
}

import type { Database } from '../db/connection.js';

/** The fields of a user row the memberships copy (migration 0038). */
export type Person = { id: string; name: string; image?: string | null };

/** Better Auth hands an update hook the updated row, or a count after an update of many. */
export function isPerson(value: unknown): value is Person {
  if (typeof value !== 'object' || value === null) return false;
  const { id, name } = value as Record<string, unknown>;
  return typeof id === 'string' && typeof name === 'string';
}

/**
 * Copies a person's name and image to each of their memberships, which task reads show instead
 * of joining users (0038). Runs on the connection as configured, as Better Auth does, since the
 * memberships span tenants. Only rows that differ are written, so an update that changes
 * neither (a verified email, a ban) leaves members and their audit trail alone.
 */
export async function copyPersonToMemberships(db: Database, person: Person): Promise<void> {
  await db.query(
    `update members set name = $2, image = $3
      where user_id = $1 and (name, image) is distinct from ($2::text, $3::text)`,
    [person.id, person.name, person.image ?? null],
  );
}

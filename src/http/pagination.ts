import { TenantryError } from '../errors.js';
import { isUuid } from '../uuid.js';


/**
 * Keyset pagination over primary keys. Rows the API creates get time-ordered UUIDv7 ids, so
 * "after this id" is also "created after this row", with no timestamp precision to lose.
 */
export function encodeCursor(lastId: string): string {
  return Buffer.from(lastId).toString('base64url');
}

/** The id to continue after, or null for the first page; anything else is a 400. */
export function decodeCursor(text: string | undefined): string | null {
  if (!text) return null;
  const id = Buffer.from(text, 'base64url').toString('utf8');
  if (!isUuid(id)) {
    throw new TenantryError('validation_failed', 'cursor is not one this API issued', [{ path: 'cursor', message: 'invalid cursor' }]);
  }
  return id;
}

/** Splits `limit + 1` fetched rows into a page and the cursor for the next one. */
export function toPage<T extends { id: string }>(rows: T[], limit: number) {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(last.id) : null };
}

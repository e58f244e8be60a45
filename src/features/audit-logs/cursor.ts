import { TenantryError } from '../../errors.js';
import { isUuid } from '../../uuid.js';

/**
 * Where the previous page of the audit trail ended. Audit ids are random, not time-ordered,
 * and one transaction writes many entries with the same timestamp, so the position is the
 * pair (created_at, id), with created_at in its full microsecond precision as PostgreSQL wrote
 * it (a JavaScript Date would round it to milliseconds and skip or repeat entries).
 */
export type AuditCursor = { at: string; id: string };

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

export function encodeAuditCursor(cursor: AuditCursor): string {
  return Buffer.from(`${cursor.at}|${cursor.id}`).toString('base64url');
}

/** The position to continue after, or null for the first page; anything else is a 400. */
export function decodeAuditCursor(text: string | undefined): AuditCursor | null {
  if (!text) return null;
  const [at = '', id = '', ...rest] = Buffer.from(text, 'base64url').toString('utf8').split('|');
  if (rest.length > 0 || !INSTANT.test(at) || !isUuid(id)) {
    throw new TenantryError('validation_failed', 'cursor is not one this API issued', [{ path: 'cursor', message: 'invalid cursor' }]);
  }
  return { at, id };
}

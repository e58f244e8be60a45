import type { Database } from '../db/connection.js';

export type AuthEvent = {
  action: 'auth.sign_in' | 'auth.sign_out' | 'auth.sign_in_failed';
  userId?: string | null;
  email?: string | null;
  ipAddress?: string | null;
  userAgent?: string | null;
  requestId?: string | null;
};

/** Appends one row to the platform-wide sign-in trail. */
export async function recordAuthEvent(db: Database, event: AuthEvent): Promise<void> {
  await db.query(
    `insert into auth_events (action, user_id, email, ip_address, user_agent, request_id)
     values ($1, $2, $3, $4, $5, $6)`,
    [event.action, event.userId ?? null, event.email ?? null, event.ipAddress ?? null, event.userAgent ?? null, event.requestId ?? null],
  );
}

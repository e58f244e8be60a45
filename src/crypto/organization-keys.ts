import type { Database, SqlSession } from '../db/connection.js';
import { ROLES } from '../db/roles.js';
import { TenantryError } from '../errors.js';
import { rewrapDataKey } from './envelope.js';

type WrappedKeyRow = { id: string; wrapped_data_key: Uint8Array };

/**
 * Re-wraps every organization's data key from `oldMaster` to `newMaster` (`tenantry keys rotate`).
 * One transaction: either every key moves or none does, so a wrong old key or one damaged row
 * leaves the database exactly as it was. Secrets stay as they are, since their data keys do not change.
 *
 * Servers still running with the old key must be restarted with the new one afterwards; until then
 * an organization they create would get a key wrapped by the old master key.
 *
 * @example
 * const { rotated } = await rotateMasterKey(db, oldKey, newKey, (done, total) => bar.update(done, { total }));
 */
export async function rotateMasterKey(
  db: Database,
  oldMaster: Buffer,
  newMaster: Buffer,
  onProgress?: (done: number, total: number) => void,
): Promise<{ rotated: number }> {
  return db.session(async (session) => {
    await session.query('begin');
    try {
      const rotated = await rewrapAll(session, oldMaster, newMaster, onProgress);
      await session.query('commit');
      return { rotated };
    } catch (error) {
      await session.query('rollback');
      throw error;
    }
  });
}

async function rewrapAll(
  session: SqlSession,
  oldMaster: Buffer,
  newMaster: Buffer,
  onProgress?: (done: number, total: number) => void,
): Promise<number> {
  // The platform role sees every tenant; the request id tells the audit trail why the keys changed.
  await session.query(
    `select set_config('role', $1, true), set_config('app.organization_id', '', true),
            set_config('app.user_id', '', true), set_config('app.request_id', 'tenantry keys rotate', true)`,
    [ROLES.platform],
  );
  // Writers wait until the rotation commits, so no organization is created or re-keyed under
  // the old master key between the read below and the commit. Readers carry on.
  await session.query('lock table organizations in share row exclusive mode');
  const rows = await session.query<WrappedKeyRow>(
    'select id, wrapped_data_key from organizations where wrapped_data_key is not null order by id',
  );

  let done = 0;
  for (const row of rows) {
    let rewrapped: Buffer;
    try {
      rewrapped = rewrapDataKey(oldMaster, newMaster, Buffer.from(row.wrapped_data_key));
    } catch (error) {
      if (!(error instanceof TenantryError)) throw error;
      throw new TenantryError(
        'internal',
        `cannot unwrap the data key of organization ${row.id}: wrong old master key or damaged value; nothing was rotated`,
      );
    }
    await session.query('update organizations set wrapped_data_key = $1 where id = $2', [rewrapped, row.id]);
    done += 1;
    onProgress?.(done, rows.length);
  }
  return done;
}

import { readFile } from 'node:fs/promises';
import type { Database } from '../../src/db/connection.js';

/**
 * Reads how much CPU, in ms, the PostgreSQL backend behind a one-connection pool has used, from
 * `/proc/<pid>/schedstat` (nanoseconds): what the queries cost the server, which a busy shared
 * machine moves far less than the client's wall-clock times. Undefined when the server's
 * processes cannot be read from here (another machine or container).
 */
export async function backendCpuReader(db: Database): Promise<(() => Promise<number>) | undefined> {
  const [row] = await db.query<{ pid: number }>('select pg_backend_pid() as pid');
  if (!row) return undefined;
  const path = `/proc/${row.pid}/schedstat`;
  const read = async () => Number((await readFile(path, 'utf8')).split(' ')[0]) / 1e6;
  try {
    await read();
    return read;
  } catch {
    return undefined;
  }
}

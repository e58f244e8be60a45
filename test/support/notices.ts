import pg from 'pg';
import type { ApiHarness } from './api.js';

/**
 * Runs `use` on a client of its own to the harness's server database and answers the messages
 * the server sent it (such as the plans auto_explain hands to the client at `client_min_messages = log`).
 */
export async function noticesOf(h: ApiHarness, use: (client: pg.Client) => Promise<void>): Promise<string[]> {
  const url = h.test.url;
  if (!url) throw new Error('no database url');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const notices: string[] = [];
  client.on('notice', (notice) => notices.push(notice.message ?? ''));
  try {
    await use(client);
  } finally {
    await client.end();
  }
  return notices;
}

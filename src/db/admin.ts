import pg from 'pg';
import { TenantryError } from '../errors.js';
import { redactUrl } from './connection.js';
import { quoteIdent } from './roles.js';

/** The database a URL names, and the same server's maintenance database to manage it from. */
function splitUrl(url: string): { name: string; maintenanceUrl: string } {
  const parsed = new URL(url);
  const name = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  if (!name) throw new TenantryError('bad_request', `DATABASE_URL names no database: ${redactUrl(url)}`);
  parsed.pathname = name === 'postgres' ? '/template1' : '/postgres';
  return { name, maintenanceUrl: parsed.toString() };
}

async function onMaintenance<T>(url: string, work: (client: pg.Client, name: string) => Promise<T>): Promise<T> {
  const { name, maintenanceUrl } = splitUrl(url);
  const client = new pg.Client({ connectionString: maintenanceUrl, connectionTimeoutMillis: 10_000 });
  try {
    await client.connect();
  } catch (error) {
    throw new TenantryError(
      'database_unreachable',
      `cannot reach PostgreSQL at ${redactUrl(maintenanceUrl)}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  try {
    return await work(client, name);
  } finally {
    await client.end();
  }
}

/** Creates the database the URL names when it does not exist yet. Returns whether it did. */
export async function ensureDatabaseExists(url: string): Promise<boolean> {
  return onMaintenance(url, async (client, name) => {
    const found = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (found.rowCount) return false;
    await client.query(`create database ${quoteIdent(name)}`);
    return true;
  });
}

/** Drops the database the URL names, disconnecting its sessions first (PostgreSQL 13+). */
export async function dropDatabase(url: string): Promise<void> {
  await onMaintenance(url, async (client, name) => {
    await client.query(`drop database if exists ${quoteIdent(name)} with (force)`);
  });
}

import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLITE_EXTENSIONS, type SqlSession } from '../db/connection.js';
import { TenantryError } from '../errors.js';
import { type BackupArchive, payloadBlob, writeArchive } from './archive.js';
import { BACKUP_FORMAT, BACKUP_FORMAT_VERSION, type BackupManifest, PAYLOAD_NAMES } from './manifest.js';
import type { ProgressClock } from './progress.js';
import { inReadOnlySnapshot, readSchemaVersion, readTableChecksums } from './snapshot.js';

/**
 * Backs up the embedded database with PGlite's own tooling: `dumpDataDir('gzip')`, a gzip'd
 * tarball of the whole data folder. PGlite is opened here directly, not through `Database`,
 * because only the PGlite instance can dump itself. It holds a single connection, so the
 * checksums and the dump see the same rows as long as no other process has the folder open
 * (no other process may: PGlite does not share a data folder).
 */
export async function backupPglite(dataDir: string, out: string, clock: ProgressClock): Promise<BackupManifest> {
  if (dataDir.startsWith('memory://')) {
    throw new TenantryError('bad_request', 'the database lives in memory (memory://); there is nothing on disk to back up');
  }
  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    throw new TenantryError('bad_request', `there is no PGlite database in ${dataDir} (run: tenantry db init)`);
  }
  const workDir = await mkdtemp(join(dirname(out), '.tenantry-backup-'));
  const payload = join(workDir, PAYLOAD_NAMES.pglite);
  try {
    clock.step(`opening ${dataDir}`);
    const pglite = await PGlite.create(dataDir, { extensions: PGLITE_EXTENSIONS });
    let facts: { version: string; pglite: string; schemaVersion: string | null; tables: BackupManifest['tables'] };
    try {
      const session = sessionOf(pglite);
      const versions = await readVersions(session);
      facts = await inReadOnlySnapshot(session, async () => {
        const schemaVersion = await readSchemaVersion(session);
        clock.step('reading row counts and checksums');
        const tables = await readTableChecksums(session, (done, total) => clock.update(`${done}/${total} tables`));
        return { ...versions, schemaVersion, tables };
      });
      clock.step(`copying the data folder with PGlite ${facts.pglite} dumpDataDir`);
      // A checkpoint first, so the copy needs no WAL replay when it is loaded.
      await session.query('checkpoint');
      const tarball = await pglite.dumpDataDir('gzip');
      await writeFile(payload, new Uint8Array(await tarball.arrayBuffer()));
    } finally {
      await pglite.close();
    }
    clock.step(`writing ${out}`);
    return await writeArchive(out, payload, {
      format: BACKUP_FORMAT,
      format_version: BACKUP_FORMAT_VERSION,
      engine: 'pglite',
      created_at: new Date().toISOString(),
      source: dataDir,
      server_version: facts.version,
      tool: { name: 'pglite', version: facts.pglite },
      schema_version: facts.schemaVersion,
      tables: facts.tables,
    });
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

/** A restore goes into a folder that is missing or empty: never over another database. */
export function checkPgliteRestore(dataDir: string): void {
  if (dataDir.startsWith('memory://')) {
    throw new TenantryError('bad_request', 'cannot restore into memory://; pass --into a folder');
  }
  if (!existsSync(dataDir)) return;
  if (!statSync(dataDir).isDirectory()) {
    throw new TenantryError('refused', `refusing to restore into ${dataDir}: it is a file, not a folder`);
  }
  if (readdirSync(dataDir).length > 0) {
    throw new TenantryError(
      'refused',
      `refusing to restore into ${dataDir}: the folder is not empty; move it away, or restore with --into <new folder>`,
    );
  }
}

/** Loads the backed-up data folder into `dataDir`; on failure the folder is left as it was found. */
export async function restorePglite(
  archive: BackupArchive,
  dataDir: string,
  clock: ProgressClock,
): Promise<{ createdDatabase: boolean }> {
  const existed = existsSync(dataDir);
  // Whatever was there before is never removed, even if the folder filled up since it was checked.
  const found = new Set(existed ? readdirSync(dataDir) : []);
  await mkdir(dataDir, { recursive: true });
  clock.step(`loading the data folder into ${dataDir}`);
  try {
    const pglite = await PGlite.create({ dataDir, loadDataDir: await payloadBlob(archive), extensions: PGLITE_EXTENSIONS });
    await pglite.close();
    return { createdDatabase: !existed };
  } catch (error) {
    if (existed) {
      for (const entry of readdirSync(dataDir)) {
        if (!found.has(entry)) await rm(join(dataDir, entry), { recursive: true, force: true });
      }
    } else {
      await rm(dataDir, { recursive: true, force: true });
    }
    const { tool, server_version: server } = archive.manifest;
    throw new TenantryError(
      'internal',
      `PGlite could not load the backup (made by PGlite ${tool.version}, PostgreSQL ${server}): ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

function sessionOf(pglite: PGlite): SqlSession {
  return {
    query: async <Row>(text: string, params?: unknown[]) => (await pglite.query<Row>(text, params)).rows,
    exec: async (script: string) => {
      await pglite.exec(script);
    },
  };
}

/** "PostgreSQL 18.6 (PGlite 0.5.16) on wasm32…" → both versions. */
async function readVersions(session: SqlSession): Promise<{ version: string; pglite: string }> {
  const [row] = await session.query<{ version: string }>('select version() as version');
  const match = /PostgreSQL (\S+) \(PGlite (\S+)\)/.exec(row?.version ?? '');
  return { version: match?.[1] ?? 'unknown', pglite: match?.[2] ?? 'unknown' };
}

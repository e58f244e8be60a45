import { z } from 'zod';

/**
 * What a backup file says about itself (the `manifest.json` member of the archive, see
 * archive.ts): which engine wrote it with which tool, the payload's size and sha256, and every
 * table's row count and checksum at the moment of the dump, which restore checks against.
 */
export const BACKUP_FORMAT = 'tenantry-backup';
export const BACKUP_FORMAT_VERSION = 1;

/** The payload member's name tells the engine apart even to someone reading `tar tf`. */
export const PAYLOAD_NAMES = { postgres: 'database.dump', pglite: 'pgdata.tar.gz' } as const;
export const MANIFEST_NAME = 'manifest.json';

const SHA256_HEX = /^[0-9a-f]{64}$/;

export const TableChecksumSchema = z.strictObject({
  /** schema.table, unquoted, for messages. */
  table: z.string().min(1),
  rows: z.number().int().nonnegative(),
  /** See snapshot.ts: an md5 over the row count and order-independent sums of per-row md5s. */
  checksum: z.string().regex(/^[0-9a-f]{32}$/),
});

export const ManifestSchema = z
  .strictObject({
    format: z.literal(BACKUP_FORMAT),
    format_version: z.literal(BACKUP_FORMAT_VERSION),
    engine: z.enum(['postgres', 'pglite']),
    created_at: z.iso.datetime(),
    /** The database it came from, without a password. */
    source: z.string(),
    server_version: z.string().min(1),
    tool: z.strictObject({ name: z.enum(['pg_dump', 'pglite']), version: z.string().min(1) }),
    /** The newest applied migration, or null before the first one. */
    schema_version: z.string().nullable(),
    payload: z.strictObject({
      name: z.enum([PAYLOAD_NAMES.postgres, PAYLOAD_NAMES.pglite]),
      bytes: z.number().int().nonnegative(),
      sha256: z.string().regex(SHA256_HEX),
    }),
    tables: z.array(TableChecksumSchema),
  })
  .refine((manifest) => manifest.payload.name === PAYLOAD_NAMES[manifest.engine], {
    message: 'the payload name does not match the engine',
  });

export type BackupManifest = z.infer<typeof ManifestSchema>;
export type TableChecksum = z.infer<typeof TableChecksumSchema>;
export type BackupEngine = BackupManifest['engine'];

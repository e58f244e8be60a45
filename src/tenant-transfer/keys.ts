import { unwrapDataKey, wrapDataKey } from '../crypto/envelope.js';
import { TenantryError } from '../errors.js';
import type { DataKeyEntry } from './format.js';

/**
 * How an organization's data key travels. Its secrets stay sealed by that data key in the rows;
 * the data key itself leaves the source wrapped by a key the operator chose for the journey and
 * arrives wrapped by the target's own master key. Neither the data key nor a master key is ever
 * written to the file.
 */
export type KeyTransport = {
  /**
   * `transfer-key`: a one-off 32-byte key shared between the two operators (`--transfer-key`).
   * `target-master-key`: the target's master key itself, so importing needs nothing more.
   */
  wrappedWith: DataKeyEntry['wrapped_with'];
  key: Buffer;
};

export type ExportKeys = {
  /** The source's master key; asked for only when the organization has a data key. */
  sourceMasterKey: () => Buffer;
  transport: KeyTransport | null;
};

export type ImportKeys = {
  /** The target's master key; asked for only when the export carries a data key. */
  targetMasterKey: () => Buffer;
  /** The key the export was made with `--transfer-key`, when it was. */
  transferKey: Buffer | null;
};

const MISSING_TRANSPORT =
  'pass --transfer-key <base64 of 32 random bytes, e.g. from: openssl rand -base64 32> (or set TENANTRY_TRANSFER_KEY), ' +
  "or set TENANTRY_TARGET_MASTER_KEY to the target database's master key, so the key travels protected";

/** The header's `data_key`: the organization's data key unwrapped here and wrapped for the journey. */
export function wrapForTransport(
  organization: { slug: string; wrappedDataKey: Buffer | null },
  keys: ExportKeys | undefined,
): DataKeyEntry | null {
  if (!organization.wrappedDataKey) return null;
  if (!keys?.transport) {
    throw new TenantryError(
      'bad_request',
      `organization "${organization.slug}" has a data key protecting its secrets; ${MISSING_TRANSPORT}; nothing was written`,
    );
  }
  let dataKey: Buffer;
  try {
    dataKey = unwrapDataKey(keys.sourceMasterKey(), organization.wrappedDataKey);
  } catch (error) {
    if (!(error instanceof TenantryError) || error.code !== 'internal') throw error;
    throw new TenantryError(
      'refused',
      `cannot unwrap the data key of organization "${organization.slug}" with this database's master key (TENANTRY_MASTER_KEY); nothing was written`,
    );
  }
  return { wrapped_with: keys.transport.wrappedWith, wrapped_key: wrapDataKey(keys.transport.key, dataKey).toString('base64') };
}

/** The organization's data key from the header, wrapped by the target's master key for `organizations.wrapped_data_key`. */
export function unwrapFromTransport(file: string, entry: DataKeyEntry, keys: ImportKeys | undefined): Buffer {
  const wrapped = Buffer.from(entry.wrapped_key, 'base64');
  let journeyKey: Buffer;
  if (entry.wrapped_with === 'transfer-key') {
    if (!keys?.transferKey) {
      throw new TenantryError(
        'bad_request',
        `${file} carries the organization's data key wrapped by a transfer key; pass the same --transfer-key (or TENANTRY_TRANSFER_KEY) that made it; nothing was written`,
      );
    }
    journeyKey = keys.transferKey;
  } else {
    if (!keys) throw new TenantryError('bad_request', `${file} carries a data key and no target master key was given; nothing was written`);
    journeyKey = keys.targetMasterKey();
  }
  let dataKey: Buffer;
  try {
    dataKey = unwrapDataKey(journeyKey, wrapped);
  } catch (error) {
    if (!(error instanceof TenantryError) || error.code !== 'internal') throw error;
    throw new TenantryError(
      'refused',
      entry.wrapped_with === 'transfer-key'
        ? `the transfer key does not open the data key in ${file} (not the key the export was made with?); nothing was written`
        : `the data key in ${file} was wrapped for another master key than this database's (TENANTRY_MASTER_KEY); nothing was written`,
    );
  }
  return wrapDataKey(keys.targetMasterKey(), dataKey);
}

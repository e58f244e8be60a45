import { createDataKey, encryptSecret, unwrapDataKey } from '../crypto/envelope.js';
import { TenantryError } from '../errors.js';
import type { SeedWriter } from './writer.js';

/**
 * The organizations' data keys for one seed run. A key is created with its organization, or
 * unwrapped from the stored one the first time a missing secret row needs it, so re-running a
 * complete seed unwraps nothing and encrypts nothing.
 */
export class DataKeys {
  private readonly keys = new Map<string, Buffer>();

  constructor(private readonly masterKey: Buffer) {}

  /** A fresh data key for a new organization; returns the wrapped form to store. */
  create(organizationId: string): Buffer {
    const { dataKey, wrappedKey } = createDataKey(this.masterKey);
    this.keys.set(organizationId, dataKey);
    return wrappedKey;
  }

  /** Forgets a key whose organization row was not written after all. */
  discard(organizationId: string): void {
    this.keys.delete(organizationId);
  }

  /** Seals `plaintext` for the row `<table>:<organization id>:<row id>`. */
  async encrypt(writer: SeedWriter, organizationId: string, table: string, rowId: string, plaintext: string): Promise<Buffer> {
    const dataKey = await this.dataKeyFor(writer, organizationId);
    return encryptSecret(dataKey, plaintext, `${table}:${organizationId}:${rowId}`);
  }

  private async dataKeyFor(writer: SeedWriter, organizationId: string): Promise<Buffer> {
    const known = this.keys.get(organizationId);
    if (known) return known;
    const [row] = await writer.session.query<{ wrapped_data_key: Uint8Array | null }>(
      'select wrapped_data_key from organizations where id = $1',
      [organizationId],
    );
    if (!row?.wrapped_data_key) {
      throw new TenantryError('internal', `organization ${organizationId} has no data key, so its secrets cannot be seeded`);
    }
    const dataKey = unwrapDataKey(this.masterKey, Buffer.from(row.wrapped_data_key));
    this.keys.set(organizationId, dataKey);
    return dataKey;
  }
}

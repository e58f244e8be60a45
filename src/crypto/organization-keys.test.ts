import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { useMigratedTestDatabase } from '../../test/support/migrated-database.js';
import { createDataKey, decryptSecret, encryptSecret, generateMasterKey, unwrapDataKey } from './envelope.js';
import { rotateMasterKey } from './organization-keys.js';

type Organization = { id: string; dataKey: Buffer; sealed: Buffer; context: string };

describe('rotateMasterKey', () => {
  const test = useMigratedTestDatabase();

  /** An organization with a data key under `master` and one secret sealed by it (kept in memory). */
  async function createOrganization(master: Buffer | null): Promise<Organization> {
    const id = randomUUID();
    const { dataKey, wrappedKey } = createDataKey(master ?? generateMasterKey());
    await test.db.query('insert into organizations (id, name, slug, wrapped_data_key) values ($1, $2, $3, $4)', [
      id,
      `Org ${id}`,
      `org-${id}`,
      master ? wrappedKey : null,
    ]);
    const context = `ai_providers:${id}:${randomUUID()}`;
    return { id, dataKey, sealed: encryptSecret(dataKey, `sk-secret-of-${id}`, context), context };
  }

  async function wrappedKeys(): Promise<Map<string, Buffer | null>> {
    const rows = await test.db.query<{ id: string; wrapped_data_key: Uint8Array | null }>(
      'select id, wrapped_data_key from organizations',
    );
    return new Map(rows.map((row) => [row.id, row.wrapped_data_key && Buffer.from(row.wrapped_data_key)]));
  }

  it('re-wraps every data key so secrets decrypt under the new master key only', async () => {
    await test.db.query('delete from organizations');
    const oldMaster = generateMasterKey();
    const newMaster = generateMasterKey();
    const organizations = [await createOrganization(oldMaster), await createOrganization(oldMaster)];
    const withoutKey = await createOrganization(null);

    const progress: Array<[number, number]> = [];
    const result = await rotateMasterKey(test.db, oldMaster, newMaster, (done, total) => progress.push([done, total]));
    expect(result).toEqual({ rotated: 2 });
    expect(progress).toEqual([
      [1, 2],
      [2, 2],
    ]);

    const keys = await wrappedKeys();
    expect(keys.get(withoutKey.id)).toBeNull();
    for (const organization of organizations) {
      const wrapped = keys.get(organization.id);
      if (!wrapped) throw new Error(`organization ${organization.id} lost its key`);
      const dataKey = unwrapDataKey(newMaster, wrapped);
      expect(decryptSecret(dataKey, organization.sealed, organization.context)).toBe(`sk-secret-of-${organization.id}`);
      expect(() => unwrapDataKey(oldMaster, wrapped)).toThrow(/wrong master key or damaged value/);
    }
  });

  it('changes nothing and names the organization when one key does not unwrap', async () => {
    await test.db.query('delete from organizations');
    const oldMaster = generateMasterKey();
    await createOrganization(oldMaster);
    const stranger = await createOrganization(generateMasterKey());
    await createOrganization(oldMaster);
    const before = await wrappedKeys();

    await expect(rotateMasterKey(test.db, oldMaster, generateMasterKey())).rejects.toThrow(
      `cannot unwrap the data key of organization ${stranger.id}: wrong old master key or damaged value; nothing was rotated`,
    );
    expect(await wrappedKeys()).toEqual(before);
    // The session is usable afterwards: the transaction and the role did not leak.
    const [me] = await test.db.query<{ role: string }>('select current_user as role');
    expect(me?.role).not.toBe('tenantry_platform');
  });
});

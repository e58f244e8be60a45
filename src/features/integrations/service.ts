import { v7 as uuidv7 } from 'uuid';
import { encryptSecret } from '../../crypto/envelope.js';
import { organizationDataKey } from '../../crypto/tenant-data-key.js';
import type { Tx } from '../../db/tenant-context.js';
import { TenantryError } from '../../errors.js';
import { decodeCursor, toPage } from '../../http/pagination.js';
import { assertFeature } from '../plans/features.js';
import { type ServiceCall, found, inTenant, requirePermission } from '../shared/service-call.js';
import * as repository from './repository.js';
import type { CreateIntegrationInput, IntegrationListFilter, UpdateIntegrationInput } from './schemas.js';

/** The AAD that pins sealed credentials to their organization and row. */
export const credentialsContext = (organizationId: string, id: string) => `integrations:${organizationId}:${id}`;

/** Credentials are sealed as one JSON document; they are never decrypted to answer a request. */
async function sealCredentials(tx: Tx, organizationId: string, masterKey: Buffer, id: string, credentials: Record<string, unknown>) {
  const dataKey = await organizationDataKey(tx, organizationId, masterKey);
  return encryptSecret(dataKey, JSON.stringify(credentials), credentialsContext(organizationId, id));
}

async function assertNameFree(tx: Tx, organizationId: string, type: repository.IntegrationView['type'], name: string, id: string) {
  if (await repository.nameTaken(tx, organizationId, type, name, id)) {
    throw new TenantryError('conflict', `a ${type} integration named "${name}" already exists`, [{ path: 'name', message: 'already in use' }]);
  }
}

export async function listIntegrations(call: ServiceCall, filter: IntegrationListFilter) {
  requirePermission(call, 'read');
  const afterId = decodeCursor(filter.cursor);
  const rows = await inTenant(call, (tx) =>
    repository.listIntegrations(tx, call.scope.organizationId, {
      ...(filter.type ? { type: filter.type } : {}),
      ...(filter.status ? { status: filter.status } : {}),
      afterId,
      limit: filter.limit,
    }),
  );
  return toPage(rows, filter.limit);
}

export async function getIntegration(call: ServiceCall, id: string) {
  requirePermission(call, 'read');
  return found(await inTenant(call, (tx) => repository.findIntegration(tx, call.scope.organizationId, id)), 'integration');
}

/** Admins only, and only when the plan includes `integrations`. */
export async function createIntegration(call: ServiceCall, masterKey: Buffer, input: CreateIntegrationInput) {
  requirePermission(call, 'integrations:manage');
  const { organizationId, userId } = call.scope;
  return inTenant(call, async (tx) => {
    await assertFeature(tx, organizationId, 'integrations');
    const { credentials, ...fields } = input;
    const id = uuidv7();
    await assertNameFree(tx, organizationId, fields.type, fields.name, id);
    const credentialsCiphertext = credentials ? await sealCredentials(tx, organizationId, masterKey, id, credentials) : null;
    return repository.insertIntegration(tx, organizationId, { ...fields, credentialsCiphertext, id, createdById: userId });
  });
}

/**
 * Not gated by the plan: an organization that downgraded must still be able to disable an
 * integration or rotate its credentials.
 */
export async function updateIntegration(call: ServiceCall, masterKey: Buffer, id: string, input: UpdateIntegrationInput) {
  requirePermission(call, 'integrations:manage');
  const { organizationId } = call.scope;
  return inTenant(call, async (tx) => {
    const current = found(await repository.findIntegration(tx, organizationId, id), 'integration');
    const { credentials, ...fields } = input;
    if (fields.name !== undefined) await assertNameFree(tx, organizationId, current.type, fields.name, id);
    const sealed =
      credentials === undefined
        ? {}
        : { credentialsCiphertext: credentials === null ? null : await sealCredentials(tx, organizationId, masterKey, id, credentials) };
    const changes = { ...fields, ...sealed };
    if (Object.keys(changes).length === 0) return current;
    return found(await repository.updateIntegration(tx, organizationId, id, changes), 'integration');
  });
}

export async function deleteIntegration(call: ServiceCall, id: string): Promise<void> {
  requirePermission(call, 'integrations:manage');
  const deleted = await inTenant(call, (tx) => repository.deleteIntegration(tx, call.scope.organizationId, id));
  if (!deleted) throw new TenantryError('not_found', 'integration not found');
}

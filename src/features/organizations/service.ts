import { v7 as uuidv7 } from 'uuid';
import { createDataKey } from '../../crypto/envelope.js';
import { withPlatform } from '../../db/tenant-context.js';
import { TenantryError } from '../../errors.js';
import { decodeCursor, toPage } from '../../http/pagination.js';
import { type ServiceCall, found, inTenant, requirePermission } from '../shared/service-call.js';
import * as repository from './repository.js';
import type { CreateOrganizationInput, OrganizationListFilter, UpdateOrganizationInput } from './schemas.js';
import { type SessionCall, inOrganization } from './session-call.js';

/**
 * The caller's organizations. Listing them crosses tenants, and withTenant needs one tenant to
 * enter, so this is a platform read whose `user_id = caller` filter is the scope; the result is
 * exactly what the members/organizations "switcher" policies would show the app role.
 */
export async function listMyOrganizations(call: SessionCall, filter: OrganizationListFilter) {
  const afterId = decodeCursor(filter.cursor);
  const rows = await withPlatform(call.db, { userId: call.userId, requestId: call.requestId }, (tx) =>
    repository.listOrganizationsOfUser(tx, call.userId, { afterId, limit: filter.limit }),
  );
  return toPage(rows, filter.limit);
}

/**
 * A new organization with the caller as its owner, a free-plan subscription when the catalogue
 * has a free plan, and its own data key wrapped by the platform master key. All in the new
 * tenant's own transaction, so RLS admits exactly this organization's rows.
 */
export async function createOrganization(call: SessionCall, masterKey: Buffer, input: CreateOrganizationInput) {
  const organizationId = uuidv7();
  const { wrappedKey } = createDataKey(masterKey);
  return inOrganization(call, organizationId, async (tx) => {
    const organization = await repository.insertOrganization(tx, organizationId, {
      name: input.name,
      slug: input.slug,
      ownerId: call.userId,
      wrappedDataKey: wrappedKey,
    });
    await repository.insertMembership(tx, organizationId, call.userId, 'owner');
    const freePlanId = await repository.findFreePlanId(tx);
    if (freePlanId) await repository.insertSubscription(tx, organizationId, freePlanId, organization.createdAt);
    return { ...organization, role: 'owner' as const };
  });
}

export async function getOrganization(call: ServiceCall) {
  requirePermission(call, 'read');
  const organization = await inTenant(call, (tx) => repository.findOrganization(tx, call.scope.organizationId));
  return { ...found(organization, 'organization'), role: call.scope.role };
}

export async function updateOrganization(call: ServiceCall, input: UpdateOrganizationInput) {
  requirePermission(call, 'settings:manage');
  const organization = await inTenant(call, (tx) => repository.updateOrganization(tx, call.scope.organizationId, input));
  return { ...found(organization, 'organization'), role: call.scope.role };
}

/**
 * Deletes the organization and, by cascade, every row it owns, its wrapped data key included,
 * which makes any copy of its secrets (in a backup, say) unreadable. The audit trail has no
 * foreign key, so the record of the deletion survives.
 */
export async function deleteOrganization(call: ServiceCall): Promise<void> {
  requirePermission(call, 'organization:delete');
  const deleted = await inTenant(call, (tx) => repository.deleteOrganization(tx, call.scope.organizationId));
  if (!deleted) throw new TenantryError('not_found', 'organization not found');
}

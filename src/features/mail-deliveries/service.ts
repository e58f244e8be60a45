import { decodeCursor, toPage } from '../../http/pagination.js';
import { listDeliveries } from '../../mail/deliveries.js';
import { type ServiceCall, inTenant, requirePermission } from '../shared/service-call.js';
import type { MailDeliveryListFilter } from './schemas.js';

/** The organization's mail, newest first, with where each stands (admins). */
export async function listMailDeliveries(call: ServiceCall, filter: MailDeliveryListFilter) {
  requirePermission(call, 'mail:read');
  const beforeId = decodeCursor(filter.cursor);
  const rows = await inTenant(call, (tx) =>
    listDeliveries(tx, call.scope.organizationId, { ...(filter.status ? { status: filter.status } : {}), beforeId, limit: filter.limit }),
  );
  const page = toPage(rows, filter.limit);
  return { ...page, items: page.items.map(({ jobId: _jobId, ...delivery }) => delivery) };
}

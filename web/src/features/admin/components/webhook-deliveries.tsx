import { useState } from 'react';
import { EmptyState, ErrorText, Loading } from '../../../components/feedback';
import { type Webhook, useRedeliver, useWebhookDeliveries } from '../api';

/** One subscription's delivery log, newest first, each with a button to send it again. */
export function WebhookDeliveries({ orgId, webhooks }: { orgId: string; webhooks: Webhook[] }) {
  const [chosen, setChosen] = useState<string | null>(null);
  const webhookId = chosen ?? webhooks[0]?.id ?? null;
  const deliveries = useWebhookDeliveries(orgId, webhookId);
  if (webhooks.length === 0 || !webhookId) return null;
  return (
    <section className="section" aria-labelledby="webhook-deliveries-heading">
      <h2 id="webhook-deliveries-heading">Webhook deliveries</h2>
      <label className="field">
        Webhook
        <select value={webhookId} onChange={(event) => setChosen(event.target.value)}>
          {webhooks.map((webhook) => (
            <option key={webhook.id} value={webhook.id}>
              {webhook.url}
            </option>
          ))}
        </select>
      </label>
      <ErrorText error={deliveries.error} />
      {deliveries.isPending ? <Loading label="Loading deliveries…" /> : null}
      {deliveries.data?.items.length === 0 ? <EmptyState title="No deliveries yet." /> : null}
      {deliveries.data && deliveries.data.items.length > 0 ? <DeliveryList orgId={orgId} webhookId={webhookId} items={deliveries.data.items} /> : null}
    </section>
  );
}

type Delivery = NonNullable<ReturnType<typeof useWebhookDeliveries>['data']>['items'][number];

function DeliveryList({ orgId, webhookId, items }: { orgId: string; webhookId: string; items: Delivery[] }) {
  const redeliver = useRedeliver(orgId, webhookId);
  return (
    <>
      <ErrorText error={redeliver.error} />
      <ul className="list" aria-label="Deliveries">
        {items.map((delivery) => (
          <li key={delivery.id} className="admin-row">
            <span>
              <strong>{delivery.event}</strong> · {delivery.status} · {delivery.attempts} {delivery.attempts === 1 ? 'attempt' : 'attempts'}
              {delivery.responseStatus ? ` · answered ${delivery.responseStatus}` : ''}
            </span>
            <span className="muted">{delivery.lastError ?? new Date(delivery.createdAt).toLocaleString()}</span>
            <button type="button" className="button-quiet" disabled={redeliver.isPending} onClick={() => redeliver.mutate(delivery.id)}>
              Redeliver {delivery.event} of {new Date(delivery.createdAt).toLocaleString()}
            </button>
          </li>
        ))}
      </ul>
    </>
  );
}

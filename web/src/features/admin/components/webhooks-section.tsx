import { useState } from 'react';
import type { Schemas } from '../../../api/client';
import { useAddWebhook, useDeleteWebhook, useWebhooks } from '../api';
import { SecretForm, SecretRecords } from './secret-records';
import { WebhookDeliveries } from './webhook-deliveries';

type Event = Schemas['CreateWebhookSubscription']['events'][number];
const EVENTS: Event[] = ['task.created', 'task.updated', 'task.deleted', 'comment.created', 'sprint.started', 'sprint.completed'];

/** Outgoing webhooks (admins): each URL with its events; the signing secret is shown once, when it is made. */
export function WebhooksSection({ orgId }: { orgId: string }) {
  const webhooks = useWebhooks(orgId);
  const records = { ...webhooks, data: webhooks.data?.map((webhook) => ({ ...webhook, name: webhook.url })) };
  return (
    <>
    <SecretRecords
      noun="webhook"
      heading="Webhooks"
      records={records}
      remove={useDeleteWebhook(orgId)}
      canManage
      planNote={null}
      describe={(webhook) => ({
        main: (
          <>
            <strong>{webhook.url}</strong> · {webhook.events.join(', ')} · {webhook.status}
          </>
        ),
        secret: webhook.disabledReason ?? (webhook.failingSince ? `failing since ${webhook.failingSince}` : 'Signed with its secret'),
      })}
      addForm={(done) => <AddWebhookForm orgId={orgId} onDone={done} />}
    />
    <WebhookDeliveries orgId={orgId} webhooks={webhooks.data ?? []} />
    </>
  );
}

function AddWebhookForm({ orgId, onDone }: { orgId: string; onDone: () => void }) {
  const add = useAddWebhook(orgId);
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState<Event[]>(['task.created']);
  if (add.data) {
    return (
      <div role="status" className="section">
        <p>
          Signing secret for {add.data.url}, shown this once: <code>{add.data.secret}</code>
        </p>
        <p className="hint">Receivers check X-Tenantry-Signature (sha256 HMAC of the raw body) with it.</p>
        <button type="button" className="button-primary" onClick={onDone}>
          Done
        </button>
      </div>
    );
  }
  const toggle = (event: Event, on: boolean) => setEvents((current) => (on ? [...current, event] : current.filter((e) => e !== event)));
  return (
    <SecretForm label="New webhook" saveLabel="Save webhook" saving={add.isPending} error={add.error} onSubmit={() => add.mutate({ url: url.trim(), events })} onCancel={onDone}>
      <label className="field">
        Receiver URL
        <input type="url" value={url} required maxLength={2000} autoFocus onChange={(event) => setUrl(event.target.value)} />
      </label>
      <fieldset className="field">
        <legend>Events</legend>
        {EVENTS.map((event) => (
          <label key={event}>
            <input type="checkbox" checked={events.includes(event)} onChange={(change) => toggle(event, change.target.checked)} /> {event}
          </label>
        ))}
      </fieldset>
    </SecretForm>
  );
}

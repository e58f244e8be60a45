import type { OrganizationSeed } from './context.js';

/**
 * A webhook subscription with one logged delivery, one recorded event for a deleted
 * subscription, and a GitHub pull request linked to the first task, for each demo organization
 * (the receiver is not real, so nothing is queued).
 */
export async function seedWebhooks(seed: OrganizationSeed): Promise<void> {
  const { writer, organization } = seed;
  const subscriptionId = seed.rowId('webhook', 'demo');
  if ((await writer.existingIds('webhooks', [subscriptionId])).size > 0) return;
  await writer.insert('webhooks', [
    {
      organization_id: seed.id,
      id: subscriptionId,
      url: `https://hooks.${organization.slug}.example/tenantry`,
      events: ['task.created', 'task.updated', 'sprint.completed'],
      secret_ciphertext: await seed.keys.encrypt(writer, seed.id, 'webhooks', subscriptionId, `whsec_demo_${organization.slug}`),
      created_by_id: seed.user('admin'),
    },
  ]);
  const [task] = await writer.session.query<{ id: string; title: string; key: string; number: number }>(
    `select t.id::text, t.title, p.key, t.number from tasks t join projects p on p.organization_id = t.organization_id and p.id = t.project_id
      where t.organization_id = $1 order by p.key, t.number limit 1`,
    [seed.id],
  );
  if (!task) return;
  const body = JSON.stringify({ event: 'task.updated', organizationId: seed.id, occurredAt: seed.clock.at(-1, 9), data: { id: task.id, title: task.title } });
  await writer.insert('webhook_deliveries', [
    {
      organization_id: seed.id,
      id: seed.rowId('webhook-delivery', 'demo'),
      subscription_id: subscriptionId,
      event: 'task.updated',
      body,
      status: 'succeeded',
      attempts: 1,
      response_status: 200,
      delivered_at: seed.clock.at(-1, 9),
    },
  ]);
  // An event recorded for a subscription deleted before the dispatcher came round: the first
  // pass of a server's job worker drops it, queuing nothing (and there is a row to attack in
  // the isolation suites).
  await writer.insert('webhook_outbox', [
    {
      organization_id: seed.id,
      id: seed.rowId('webhook-event', 'demo'),
      event: 'task.updated',
      subscription_id: seed.rowId('webhook', 'deleted'),
      body,
    },
  ]);
  const github = organization.integrations.find((integration) => integration.type === 'github');
  if (!github) return;
  await writer.insert('task_links', [
    {
      organization_id: seed.id,
      id: seed.rowId('task-link', 'demo'),
      task_id: task.id,
      integration_id: seed.rowId('integration', github.type, github.name),
      kind: 'pull_request',
      url: `https://github.com/${github.name}/app/pull/1`,
      title: `${task.key}-${task.number}: ${task.title}`,
    },
  ]);
}

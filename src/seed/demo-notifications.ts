import { eventIdAt } from '../features/live-events/hub.js';
import type { OrganizationSeed } from './context.js';

/**
 * Watchers, notifications, preferences and a live event derived from the demo work seeded just
 * before: each task's creator, assignee and commenters watch it; assignees hear of their
 * assignments and of others' comments (the older ones read); the admin takes mentions by email.
 */
export async function seedNotifications(seed: OrganizationSeed): Promise<void> {
  const { writer } = seed;
  const organizationId = seed.id;
  const watchers = await writer.session.query<{ task_id: string; user_id: string }>(
    `select id::text as task_id, created_by_id::text as user_id from tasks where organization_id = $1 and created_by_id is not null
      union select id::text, assignee_id::text from tasks where organization_id = $1 and assignee_id is not null
      union select task_id::text, author_id::text from comments where organization_id = $1 and author_id is not null
      order by 1, 2`,
    [organizationId],
  );
  await writer.insert(
    'task_watchers',
    watchers.map((row) => ({ organization_id: organizationId, id: seed.rowId('watcher', row.task_id, row.user_id), ...row })),
  );

  const assigned = await writer.session.query<{ task_id: string; project_id: string; user_id: string; actor_id: string; created_at: string }>(
    `select id::text as task_id, project_id::text, assignee_id::text as user_id, created_by_id::text as actor_id, created_at::text
       from tasks where organization_id = $1 and assignee_id is not null and assignee_id <> created_by_id order by number, project_id`,
    [organizationId],
  );
  const commented = await writer.session.query<{ task_id: string; project_id: string; user_id: string; actor_id: string; comment_id: string; created_at: string }>(
    `select t.id::text as task_id, t.project_id::text, t.assignee_id::text as user_id, c.author_id::text as actor_id,
            c.id::text as comment_id, c.created_at::text
       from comments c join tasks t on t.organization_id = c.organization_id and t.id = c.task_id
      where c.organization_id = $1 and t.assignee_id is not null and t.assignee_id <> c.author_id order by c.created_at, c.id`,
    [organizationId],
  );
  const weekAgo = seed.clock.at(-7);
  await writer.insert('notifications', [
    ...assigned.map((row) => ({
      organization_id: organizationId,
      id: seed.rowId('notification', 'assigned', row.task_id),
      type: 'assigned',
      ...row,
      read_at: row.created_at < weekAgo ? row.created_at : null,
    })),
    ...commented.map((row) => ({
      organization_id: organizationId,
      id: seed.rowId('notification', 'commented', row.comment_id),
      type: 'commented',
      ...row,
    })),
  ]);

  await writer.insert('notification_preferences', [
    { organization_id: organizationId, id: seed.rowId('notification-preference', 'admin', 'mentioned'), user_id: seed.user('admin'), type: 'mentioned', channel: 'email' },
    { organization_id: organizationId, id: seed.rowId('notification-preference', 'admin', 'status_changed'), user_id: seed.user('admin'), type: 'status_changed', channel: 'off' },
  ]);

  // One replayable event, its id time-ordered like the server's (the server prunes it within minutes).
  const [latest] = await writer.session.query<{ id: string; project_id: string; updated_at: Date }>(
    `select id::text, project_id::text, updated_at from tasks where organization_id = $1 order by updated_at desc, id limit 1`,
    [organizationId],
  );
  if (latest) {
    const stable = seed.rowId('live-event', latest.id);
    await writer.insert('live_events', [
      {
        organization_id: organizationId,
        id: `${eventIdAt(new Date(latest.updated_at).getTime()).slice(0, 19)}${stable.slice(19)}`,
        kind: 'task.updated',
        project_id: latest.project_id,
        resource_id: latest.id,
        created_at: latest.updated_at,
      },
    ]);
  }
}

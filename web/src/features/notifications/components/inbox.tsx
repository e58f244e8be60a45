import { Link } from '@tanstack/react-router';
import { useId, useState } from 'react';
import { EmptyState, ErrorText, Loading } from '../../../components/feedback';
import { type Notification, type NotificationType, useMarkRead, useNotifications } from '../api';

const WHAT: Record<NotificationType, string> = {
  assigned: 'assigned you',
  mentioned: 'mentioned you in',
  commented: 'commented on',
  status_changed: 'changed the status of',
  sprint_started: 'started a sprint',
  sprint_completed: 'completed a sprint',
  invitation_accepted: 'accepted your invitation',
};

/** The caller's notifications, newest first; unread ones can be marked read one by one or all at once. */
export function Inbox({ orgId, orgSlug }: { orgId: string; orgSlug: string }) {
  const [unreadOnly, setUnreadOnly] = useState(false);
  const inbox = useNotifications(orgId, unreadOnly);
  const markRead = useMarkRead(orgId);
  const headingId = useId();
  const unread = inbox.data?.unreadCount ?? 0;
  return (
    <section className="section" aria-labelledby={headingId}>
      <div className="page-header">
        <h2 id={headingId}>Notifications</h2>
        <div className="page-actions">
          <label className="row">
            <input type="checkbox" checked={unreadOnly} onChange={(event) => setUnreadOnly(event.target.checked)} /> Unread only
          </label>
          <button type="button" className="button" disabled={unread === 0 || markRead.isPending} onClick={() => markRead.mutate({ all: true })}>
            Mark all read
          </button>
        </div>
      </div>
      <p className="muted" role="status">
        {inbox.data ? `${unread} unread` : ''}
      </p>
      {inbox.isPending ? <Loading /> : null}
      <ErrorText error={inbox.error ?? markRead.error} />
      {inbox.data && inbox.data.items.length === 0 ? (
        <EmptyState title={unreadOnly ? 'Nothing unread.' : 'No notifications yet.'}>
          <p className="muted">You hear here about tasks assigned to you, mentions, and tasks you watch.</p>
        </EmptyState>
      ) : null}
      {inbox.data && inbox.data.items.length > 0 ? (
        <ul className="list notification-list" aria-label="Notifications">
          {inbox.data.items.map((notification) => (
            <NotificationRow
              key={notification.id}
              orgSlug={orgSlug}
              notification={notification}
              onRead={() => markRead.mutate({ ids: [notification.id] })}
              busy={markRead.isPending}
            />
          ))}
        </ul>
      ) : null}
    </section>
  );
}

function NotificationRow({ orgSlug, notification, onRead, busy }: { orgSlug: string; notification: Notification; onRead: () => void; busy: boolean }) {
  const unread = notification.readAt === null;
  const when = new Date(notification.createdAt).toLocaleString();
  return (
    <li className={unread ? 'notification unread' : 'notification'}>
      <span>
        {unread ? <span className="visually-hidden">Unread: </span> : null}
        <strong>{notification.actorName ?? 'Someone'}</strong> {WHAT[notification.type]}{' '}
        {notification.taskRef ? (
          <Link to="/$orgSlug/tasks/$ref" params={{ orgSlug, ref: notification.taskRef }}>
            {notification.taskRef} {notification.taskTitle}
          </Link>
        ) : null}
        <br />
        <span className="muted small">{when}</span>
      </span>
      {unread ? (
        <button type="button" className="button button-quiet" disabled={busy} onClick={onRead}>
          Mark read<span className="visually-hidden">: {notification.taskRef ?? WHAT[notification.type]}</span>
        </button>
      ) : null}
    </li>
  );
}

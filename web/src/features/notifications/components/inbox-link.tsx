import { Link } from '@tanstack/react-router';
import { useUnreadCount } from '../api';

/** The navigation's way to the inbox, with the unread count in its name. */
export function InboxLink({ orgId, orgSlug }: { orgId: string; orgSlug: string }) {
  const unread = useUnreadCount(orgId);
  const count = unread.data ?? 0;
  return (
    <Link to="/$orgSlug/inbox" params={{ orgSlug }}>
      Inbox
      {count > 0 ? (
        <span className="unread-badge">
          {' '}
          {count}
          <span className="visually-hidden"> unread</span>
        </span>
      ) : null}
    </Link>
  );
}

import { PageHeader } from '../../components/page';
import { Inbox } from '../../features/notifications/components/inbox';
import { NotificationPreferences } from '../../features/notifications/components/preferences';
import '../../features/notifications/notifications.css';
import { useCurrentOrg } from '../../lib/current-org';

/** `/{orgSlug}/inbox`: the caller's notifications in this organization, and what they want to hear of. */
export function InboxPage() {
  const { org } = useCurrentOrg();
  return (
    <>
      <PageHeader title="Inbox" />
      <Inbox orgId={org.id} orgSlug={org.slug} />
      <NotificationPreferences orgId={org.id} />
    </>
  );
}

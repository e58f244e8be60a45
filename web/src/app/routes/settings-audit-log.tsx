import { getRouteApi } from '@tanstack/react-router';
import { PageHeader } from '../../components/page';
import { SettingsBackLink } from '../../components/settings-back-link';
import '../../features/admin/admin.css';
import { AuditLog } from '../../features/admin/components/audit-log';
import { useMembers } from '../../features/members/api';
import { useCurrentOrg } from '../../lib/current-org';
import { NotFoundPage } from './not-found';

const route = getRouteApi('/$orgSlug/settings/audit-log');

/** `/{orgSlug}/settings/audit-log?resourceType=…&actorId=…&from=…&to=…`: the organization's audit trail (admins). */
export function AuditLogPage() {
  const { org, can } = useCurrentOrg();
  const filter = route.useSearch();
  const navigate = route.useNavigate();
  const members = useMembers(org.id);
  // The server refuses the trail to members and viewers: they get the page they would get for any unknown path.
  if (!can.admin) return <NotFoundPage />;
  return (
    <>
      <SettingsBackLink orgSlug={org.slug} />
      <PageHeader title="Audit log" />
      <AuditLog
        orgId={org.id}
        filter={filter}
        people={(members.data ?? []).map((member) => ({ id: member.userId, name: member.name }))}
        onFilter={(next) => void navigate({ search: next, replace: true })}
      />
    </>
  );
}

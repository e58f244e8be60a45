import { PageHeader } from '../../components/page';
import { InvitationsSection } from '../../features/members/components/invitations-section';
import { MembersSection } from '../../features/members/components/members-section';
import { OrganizationGeneral } from '../../features/organizations/components/organization-general';
import { UsageSection } from '../../features/organizations/components/usage-section';
import { useCurrentOrg } from '../../lib/current-org';
import { useSession } from '../../lib/session';

/** `/{orgSlug}/settings`: the organization, its members and roles, (for admins) invitations, the plan's usage. */
export function OrgSettingsPage() {
  const { org, can } = useCurrentOrg();
  const session = useSession();
  return (
    <>
      <PageHeader title="Settings" />
      <OrganizationGeneral key={org.id} org={org} can={can} />
      <MembersSection orgId={org.id} can={can} currentUserId={session.data?.user.id} />
      {can.admin ? <InvitationsSection orgId={org.id} can={can} /> : null}
      <UsageSection orgId={org.id} />
    </>
  );
}

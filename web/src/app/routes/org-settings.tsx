import { Link } from '@tanstack/react-router';
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
      <nav className="row section" aria-label="More settings">
        <Link to="/$orgSlug/settings/ai" params={{ orgSlug: org.slug }}>
          AI providers and integrations
        </Link>
        <Link to="/$orgSlug/settings/ai/usage" params={{ orgSlug: org.slug }}>
          AI usage and prices
        </Link>
        {can.admin ? (
          <Link to="/$orgSlug/settings/audit-log" params={{ orgSlug: org.slug }}>
            Audit log
          </Link>
        ) : null}
      </nav>
      <OrganizationGeneral key={org.id} org={org} can={can} />
      <MembersSection orgId={org.id} can={can} currentUserId={session.data?.user.id} />
      {can.admin ? <InvitationsSection orgId={org.id} can={can} /> : null}
      <UsageSection orgId={org.id} canManageBilling={can.owner} />
    </>
  );
}

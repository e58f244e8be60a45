import { useQuery } from '@tanstack/react-query';
import { Link, Outlet, getRouteApi, useNavigate } from '@tanstack/react-router';
import { useEffect } from 'react';
import { Loading } from '../../components/feedback';
import { InboxLink } from '../../features/notifications/components/inbox-link';
import { useLiveUpdates } from '../../features/notifications/live';
import '../../features/notifications/notifications.css';
import { useOrganizations } from '../../features/organizations/api';
import { OrgSwitcher } from '../../features/organizations/components/org-switcher';
import { OrgShortcuts } from '../../features/palette/components/shortcuts';
import { projectsQuery } from '../../features/projects/api';
import { CurrentOrgProvider } from '../../lib/current-org';
import { permissionsOf } from '../../lib/permissions';
import { rememberOrgSlug } from '../../lib/last-org';
import { NotFoundPage } from './not-found';

const route = getRouteApi('/$orgSlug');

/** Every `/{orgSlug}/…` page: the organization's navigation above the page, and its role known below. */
export function OrgLayout() {
  const { orgSlug } = route.useParams();
  const organizations = useOrganizations();
  const org = organizations.data?.find((candidate) => candidate.slug === orgSlug);
  useEffect(() => {
    if (org) rememberOrgSlug(org.slug);
  }, [org]);

  if (organizations.isPending) return <Loading />;
  // Left the organization meanwhile (or never in it): the same page as a slug that does not exist.
  if (!org) return <NotFoundPage />;
  return <OrgPages org={org} organizations={organizations.data ?? []} />;
}

type Organization = NonNullable<ReturnType<typeof useOrganizations>['data']>[number];

/** The organization's pages, kept current by its live event stream while any of them is open. */
function OrgPages({ org, organizations }: { org: Organization; organizations: Organization[] }) {
  const navigate = useNavigate();
  // For the command palette's project list (the same cached query as the projects page).
  const projects = useQuery(projectsQuery(org.id));
  useLiveUpdates(org.id);
  return (
    <CurrentOrgProvider org={org}>
      <nav className="org-nav" aria-label="Organization">
        <OrgSwitcher
          current={org}
          organizations={organizations}
          onSwitch={(slug) => void navigate({ to: '/$orgSlug/projects', params: { orgSlug: slug } })}
          onCreate={() => void navigate({ to: '/organizations/new' })}
        />
        <Link to="/$orgSlug/projects" params={{ orgSlug: org.slug }} activeOptions={{ exact: true, includeSearch: false }}>
          Projects
        </Link>
        <Link to="/$orgSlug/docs" params={{ orgSlug: org.slug }}>
          Documents
        </Link>
        <InboxLink orgId={org.id} orgSlug={org.slug} />
        <Link to="/$orgSlug/settings" params={{ orgSlug: org.slug }}>
          Settings
        </Link>
        <span className="role-badge">Your role: {org.role}</span>
      </nav>
      <Outlet />
      <OrgShortcuts
        orgId={org.id}
        orgSlug={org.slug}
        projects={(projects.data ?? []).map((project) => ({ key: project.key, name: project.name, archived: project.archivedAt !== null }))}
        canWrite={permissionsOf(org.role).write}
      />
    </CurrentOrgProvider>
  );
}

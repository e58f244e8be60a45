import { Navigate, useNavigate } from '@tanstack/react-router';
import { ErrorText, Loading } from '../../components/feedback';
import { useOrganizations } from '../../features/organizations/api';
import { CreateOrganizationForm } from '../../features/organizations/components/create-organization-form';
import { lastOrgSlug } from '../../lib/last-org';

/** `/`: your last organization's projects, or, with none yet, the form to create the first. */
export function HomePage() {
  const organizations = useOrganizations();
  const navigate = useNavigate();
  if (organizations.isPending) return <Loading />;
  if (organizations.isError) return <ErrorText error={organizations.error} />;
  const orgs = organizations.data;
  const target = orgs.find((org) => org.slug === lastOrgSlug()) ?? orgs[0];
  if (target) return <Navigate to="/$orgSlug/projects" params={{ orgSlug: target.slug }} replace />;
  return (
    <section className="narrow card">
      <h1>Welcome to Tenantry</h1>
      <p>You are not in any organization yet. Create one to start a project, or open an invitation link someone sent you.</p>
      <CreateOrganizationForm onCreated={(org) => void navigate({ to: '/$orgSlug/projects', params: { orgSlug: org.slug } })} />
    </section>
  );
}

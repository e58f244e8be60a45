import { useNavigate } from '@tanstack/react-router';
import { CreateOrganizationForm } from '../../features/organizations/components/create-organization-form';

export function NewOrganizationPage() {
  const navigate = useNavigate();
  return (
    <section className="narrow card">
      <h1>New organization</h1>
      <p>An organization holds your projects and the people who work on them. You will be its owner.</p>
      <CreateOrganizationForm onCreated={(org) => void navigate({ to: '/$orgSlug/projects', params: { orgSlug: org.slug } })} />
    </section>
  );
}

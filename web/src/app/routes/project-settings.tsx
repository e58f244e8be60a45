import { PageHeader } from '../../components/page';

export function ProjectSettingsPage() {
  return <PageHeader title="Project settings" />;
}

import { PageHeader } from '../../components/page';

export function OrgSettingsPage() {
  return <PageHeader title="Settings" />;
}

import { PageHeader } from '../../components/page';

export function InvitationPage() {
  return <PageHeader title="Invitation" />;
}

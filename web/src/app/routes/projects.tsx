import { PageHeader } from '../../components/page';

export function ProjectsPage() {
  return <PageHeader title="Projects" />;
}

import { getRouteApi } from '@tanstack/react-router';
import { CsvImport } from '../../features/task-import/components/csv-import';
import { useCurrentOrg } from '../../lib/current-org';
import { ProjectScreen } from './project-scope';

const route = getRouteApi('/$orgSlug/projects/$key/import');

/** `/{orgSlug}/projects/{KEY}/import`: tasks from a CSV export (Jira, Linear or any with a mapping). */
export function TaskImportPage() {
  const { key } = route.useParams();
  const { org } = useCurrentOrg();
  return (
    <ProjectScreen projectKey={key} title={(project) => `Import tasks into ${project.name}`}>
      {(project, access) =>
        access.write && project.archivedAt === null ? (
          <CsvImport orgId={org.id} orgSlug={org.slug} projectId={project.id} projectKey={project.key} />
        ) : (
          <p className="muted">{project.archivedAt === null ? 'Your role in this project does not let you import tasks.' : 'This project is archived: nothing can be imported into it.'}</p>
        )
      }
    </ProjectScreen>
  );
}

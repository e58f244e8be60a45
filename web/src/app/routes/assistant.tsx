import { getRouteApi } from '@tanstack/react-router';
import { AssistantChat } from '../../features/ai/components/assistant-chat';
import { useCurrentOrg } from '../../lib/current-org';
import { ProjectScreen } from './project-scope';

const route = getRouteApi('/$orgSlug/projects/$key/assistant');

/** `/{orgSlug}/projects/{KEY}/assistant?conversation=…`: the project's conversations with the model. */
export function AssistantPage() {
  const { key } = route.useParams();
  const { conversation } = route.useSearch();
  const navigate = route.useNavigate();
  const { org } = useCurrentOrg();
  return (
    <ProjectScreen projectKey={key} title={(project) => `Assistant: ${project.name} (${project.key})`}>
      {(project, access) => (
        <AssistantChat
          orgId={org.id}
          orgSlug={org.slug}
          projectId={project.id}
          projectKey={project.key}
          conversationId={conversation}
          canWrite={access.write && project.archivedAt === null}
          onConversation={(id) => void navigate({ search: { conversation: id }, replace: true })}
        />
      )}
    </ProjectScreen>
  );
}

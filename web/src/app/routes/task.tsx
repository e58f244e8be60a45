import { getRouteApi } from '@tanstack/react-router';
import { ApiError } from '../../api/client';
import { ErrorText, Loading } from '../../components/feedback';
import { WatchToggle } from '../../features/notifications/components/watch-toggle';
import { useProjectPermissions } from '../../features/projects/api';
import { useTask } from '../../features/tasks/api';
import { TaskView } from '../../features/tasks/components/task-view';
import '../../features/tasks/task.css';
import { useCurrentOrg } from '../../lib/current-org';
import type { Task } from '../../lib/task-vocabulary';
import { NotFoundPage } from './not-found';

const route = getRouteApi('/$orgSlug/tasks/$ref');

/** `/{orgSlug}/tasks/{KEY-N}`: one task, every field editable in place by those who may change the project. */
export function TaskPage() {
  const { ref } = route.useParams();
  const { org } = useCurrentOrg();
  const task = useTask(org.id, ref);
  if (task.isPending) return <Loading label="Loading the task…" />;
  if (task.error instanceof ApiError && (task.error.status === 404 || task.error.status === 400)) return <NotFoundPage />;
  if (task.error) return <ErrorText error={task.error} />;
  return <TaskInProject key={task.data.id} task={task.data} />;
}

/** The task with what the caller's project role lets them do: a viewer reads, a stakeholder also comments. */
function TaskInProject({ task }: { task: Task }) {
  const { org } = useCurrentOrg();
  const access = useProjectPermissions(org.id, task.projectId);
  return (
    <TaskView
      orgId={org.id}
      orgSlug={org.slug}
      task={task}
      canWrite={access.write}
      canComment={access.comment}
      actions={<WatchToggle orgId={org.id} taskId={task.id} />}
    />
  );
}

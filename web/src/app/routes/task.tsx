import { getRouteApi } from '@tanstack/react-router';
import { ApiError } from '../../api/client';
import { ErrorText, Loading } from '../../components/feedback';
import { useTask } from '../../features/tasks/api';
import { TaskView } from '../../features/tasks/components/task-view';
import '../../features/tasks/task.css';
import { useCurrentOrg } from '../../lib/current-org';
import { NotFoundPage } from './not-found';

const route = getRouteApi('/$orgSlug/tasks/$ref');

/** `/{orgSlug}/tasks/{KEY-N}`: one task, every field editable in place by members. */
export function TaskPage() {
  const { ref } = route.useParams();
  const { org, can } = useCurrentOrg();
  const task = useTask(org.id, ref);
  if (task.isPending) return <Loading label="Loading the task…" />;
  if (task.error instanceof ApiError && (task.error.status === 404 || task.error.status === 400)) return <NotFoundPage />;
  if (task.error) return <ErrorText error={task.error} />;
  return <TaskView key={task.data.id} orgId={org.id} orgSlug={org.slug} task={task.data} canWrite={can.write} />;
}

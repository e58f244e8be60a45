import { Link } from '@tanstack/react-router';
import { ErrorText } from '../../../components/feedback';
import type { Task } from '../../../lib/task-vocabulary';
import { type TaskChange, useTaskChoices, useUpdateTask } from '../api';
import { Attachments } from './attachments';
import { Comments } from './comments';
import { History } from './history';
import { MarkdownField } from './markdown-field';
import { TaskFields } from './task-fields';
import { TitleField } from './title-field';

type TaskViewProps = {
  orgId: string;
  orgSlug: string;
  task: Task;
  canWrite: boolean;
  /** Whether the caller may join the discussion (a project stakeholder may, without editing the task). */
  canComment: boolean;
  /** Controls other features add to the task's header (watching). */
  actions?: React.ReactNode;
};

/** The task page: every field in place, then the discussion, the files and the history. */
export function TaskView({ orgId, orgSlug, task, canWrite, canComment, actions }: TaskViewProps) {
  const update = useUpdateTask(orgId, task);
  const choices = useTaskChoices(orgId, task.projectId);
  const save = (change: TaskChange) => update.mutateAsync(change);

  return (
    <article className="task-page">
      <p className="breadcrumb">
        <Link to="/$orgSlug/projects/$key" params={{ orgSlug, key: task.projectKey }}>
          {task.projectKey} board
        </Link>
      </p>
      <header className="task-header">
        <h1>
          <span className="task-ref">{task.ref}</span>
          {canWrite ? null : <span className="task-title"> {task.title}</span>}
        </h1>
        {canWrite ? <TitleField title={task.title} onSave={(title) => save({ title })} /> : null}
        {actions}
        {update.isPending ? (
          <p className="muted small" role="status">
            Saving…
          </p>
        ) : null}
      </header>
      <ErrorText error={choices.error} />
      <div className="task-layout">
        <div className="task-main">
          <MarkdownField
            label="Description"
            text={task.description}
            canWrite={canWrite}
            empty={canWrite ? 'No description yet. Edit it to say what and why.' : 'No description.'}
            onSave={(description) => save({ description })}
          />
          <MarkdownField
            label="Acceptance criteria"
            text={task.acceptanceCriteria}
            canWrite={canWrite}
            empty={canWrite ? 'No acceptance criteria yet. Edit them to say when this is done.' : 'No acceptance criteria.'}
            onSave={(acceptanceCriteria) => save({ acceptanceCriteria })}
          />
          <Comments orgId={orgId} taskId={task.id} canWrite={canComment} people={choices.people} />
          <History orgId={orgId} taskId={task.id} choices={choices} />
        </div>
        <aside className="task-side" aria-label="Details">
          <TaskFields task={task} choices={choices} canWrite={canWrite} onSave={save} />
          <Attachments orgId={orgId} task={task} canWrite={canWrite} />
        </aside>
      </div>
    </article>
  );
}

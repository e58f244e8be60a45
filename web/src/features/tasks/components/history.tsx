import { ErrorText, Loading } from '../../../components/feedback';
import { PRIORITY_LABEL, STATUS_LABEL, TYPE_LABEL, type TaskPriority, type TaskStatus, type TaskType } from '../../../lib/task-vocabulary';
import { type HistoryEntry, useHistory } from '../api';
import type { TaskChoices } from './task-fields';

const FIELD_NAMES: Record<string, string> = {
  title: 'title',
  description: 'description',
  acceptanceCriteria: 'acceptance criteria',
  type: 'type',
  status: 'status',
  priority: 'priority',
  storyPoints: 'points',
  assigneeId: 'assignee',
  epicId: 'epic',
  sprintId: 'sprint',
  dueDate: 'due date',
};
const LONG_TEXT = new Set(['description', 'acceptanceCriteria']);

const ACTION_WORDS: Record<HistoryEntry['action'], string> = {
  created: 'created the task',
  updated: 'changed the task',
  moved: 'moved the card',
  deleted: 'deleted the task',
  restored: 'restored the task',
  commented: 'commented',
  comment_edited: 'edited a comment',
  comment_deleted: 'deleted a comment',
};

const when = (iso: string) => new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** Who changed what, when: the task's trail, newest first, in words. */
export function History({ orgId, taskId, choices }: { orgId: string; taskId: string; choices: TaskChoices }) {
  const history = useHistory(orgId, taskId);
  const entries = history.data?.pages.flatMap((page) => page.items) ?? [];

  const valueText = (field: string, value: unknown): string => {
    if (value === null || value === undefined || value === '') return 'nothing';
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    if (field === 'status') return STATUS_LABEL[text as TaskStatus] ?? text;
    if (field === 'priority') return PRIORITY_LABEL[text as TaskPriority] ?? text;
    if (field === 'type') return TYPE_LABEL[text as TaskType] ?? text;
    if (field === 'assigneeId') return choices.people.find((p) => p.id === text)?.name ?? 'a former member';
    if (field === 'epicId') return choices.epics.find((e) => e.id === text)?.title ?? 'an epic';
    if (field === 'sprintId') return choices.sprints.find((s) => s.id === text)?.name ?? 'a sprint';
    if (field === 'dueDate') return text.slice(0, 10);
    return `“${text.length > 80 ? `${text.slice(0, 80)}…` : text}”`;
  };
  const changeText = (change: HistoryEntry['changes'][number]) => {
    const name = FIELD_NAMES[change.field] ?? change.field;
    if (LONG_TEXT.has(change.field)) return `changed the ${name}`;
    return `${name} from ${valueText(change.field, change.from)} to ${valueText(change.field, change.to)}`;
  };

  return (
    <section className="task-section" aria-labelledby="history-heading">
      <h2 id="history-heading">History</h2>
      {history.isPending ? <Loading label="Loading history…" /> : null}
      <ErrorText error={history.error} />
      <ol className="history-list">
        {entries.map((entry) => (
          <li key={entry.id}>
            <strong>{entry.actor?.name ?? 'Someone'}</strong> {ACTION_WORDS[entry.action]}
            {entry.changes.length > 0 ? `: ${entry.changes.map(changeText).join('; ')}` : ''}{' '}
            <time className="muted" dateTime={entry.at}>
              {when(entry.at)}
            </time>
          </li>
        ))}
      </ol>
      {history.hasNextPage ? (
        <button type="button" className="button-quiet" disabled={history.isFetchingNextPage} onClick={() => void history.fetchNextPage()}>
          Show older history
        </button>
      ) : null}
    </section>
  );
}

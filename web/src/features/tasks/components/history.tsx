import { ErrorText, Loading } from '../../../components/feedback';
import { type ReferenceNamer, changeText, whenText } from '../../../lib/change-words';
import { type HistoryEntry, useHistory } from '../api';
import type { TaskChoices } from './task-fields';

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

/** Who changed what, when: the task's trail, newest first, in words. */
export function History({ orgId, taskId, choices }: { orgId: string; taskId: string; choices: TaskChoices }) {
  const history = useHistory(orgId, taskId);
  const entries = history.data?.pages.flatMap((page) => page.items) ?? [];

  const nameOf: ReferenceNamer = (field, id) => {
    if (field === 'assigneeId') return choices.people.find((person) => person.id === id)?.name ?? 'a former member';
    if (field === 'epicId') return choices.epics.find((epic) => epic.id === id)?.title ?? 'an epic';
    if (field === 'sprintId') return choices.sprints.find((sprint) => sprint.id === id)?.name ?? 'a sprint';
    return undefined;
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
            {entry.changes.length > 0 ? `: ${entry.changes.map((change) => changeText(change, nameOf)).join('; ')}` : ''}{' '}
            <time className="muted" dateTime={entry.at}>
              {whenText(entry.at)}
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

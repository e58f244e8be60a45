import { Link } from '@tanstack/react-router';
import { EmptyState, ErrorText, Loading } from '../../../components/feedback';
import { changeText, whenText } from '../../../lib/change-words';
import { type ActivityEntry, useProjectActivity } from '../api';
import '../activity.css';

type Subject = ActivityEntry['subject'];

const NOUN: Record<Subject['type'], string> = {
  project: 'the project',
  project_member: 'the project member',
  epic: 'the epic',
  sprint: 'the sprint',
  task: 'the task',
  comment: 'task',
  document: 'the document',
  asset: 'the file',
};

const VERB: Record<ActivityEntry['action'], string> = {
  created: 'created',
  updated: 'changed',
  moved: 'moved',
  deleted: 'deleted',
  restored: 'restored',
  commented: 'commented on',
  comment_edited: 'edited a comment on',
  comment_deleted: 'deleted a comment on',
};

/** The words before the subject's name: "changed the sprint", "added" (someone to the project). */
function wordsBefore(entry: ActivityEntry): string {
  if (entry.subject.type === 'project_member') {
    return entry.action === 'created' ? 'added' : entry.action === 'updated' ? 'changed the project role of' : 'took';
  }
  return `${VERB[entry.action]} ${NOUN[entry.subject.type]}`;
}

/** What the entry is about, as a link to its page where it has one. */
function SubjectName({ subject, orgSlug, projectKey }: { subject: Subject; orgSlug: string; projectKey: string }) {
  const name = subject.name ?? '';
  if (subject.taskRef && (subject.type === 'task' || subject.type === 'comment')) {
    return (
      <Link to="/$orgSlug/tasks/$ref" params={{ orgSlug, ref: subject.taskRef }}>
        {subject.taskRef} {name}
      </Link>
    );
  }
  if (subject.type === 'sprint') {
    return (
      <Link to="/$orgSlug/projects/$key/sprints/$sprintId" params={{ orgSlug, key: projectKey, sprintId: subject.id }}>
        {name}
      </Link>
    );
  }
  if (subject.type === 'epic') {
    return (
      <Link to="/$orgSlug/projects/$key/epics/$epicId" params={{ orgSlug, key: projectKey, epicId: subject.id }}>
        {name}
      </Link>
    );
  }
  if (subject.type === 'document' && subject.documentSlug) {
    return (
      <Link to="/$orgSlug/docs/$key/$slug" params={{ orgSlug, key: projectKey, slug: subject.documentSlug }}>
        {name}
      </Link>
    );
  }
  return <span className="activity-name">{name}</span>;
}

type Props = { orgId: string; orgSlug: string; projectId: string; projectKey: string };

/** Who created, changed, commented on, moved or deleted what in the project, newest first, in words. */
export function ActivityFeed({ orgId, orgSlug, projectId, projectKey }: Props) {
  const activity = useProjectActivity(orgId, projectId);
  const entries = activity.data?.pages.flatMap((page) => page.items) ?? [];
  if (activity.isPending) return <Loading label="Loading activity…" />;
  return (
    <section aria-labelledby="activity-heading">
      <h2 id="activity-heading" className="visually-hidden">
        Activity
      </h2>
      <ErrorText error={activity.error} />
      {entries.length === 0 && !activity.error ? <EmptyState title="Nothing has happened in this project yet." /> : null}
      <ol className="activity-list">
        {entries.map((entry) => (
          <li key={entry.id} data-shortcut-item tabIndex={-1}>
            <strong>{entry.actor?.name ?? 'Someone'}</strong> {wordsBefore(entry)}{' '}
            <SubjectName subject={entry.subject} orgSlug={orgSlug} projectKey={projectKey} />
            {entry.subject.type === 'project_member' && entry.action !== 'updated' ? ` ${entry.action === 'created' ? 'to' : 'off'} the project` : ''}
            {entry.changes.length > 0 ? `: ${entry.changes.map((change) => changeText(change)).join('; ')}` : ''}{' '}
            <time className="muted" dateTime={entry.at}>
              {whenText(entry.at)}
            </time>
          </li>
        ))}
      </ol>
      {activity.hasNextPage ? (
        <button type="button" className="button-quiet" disabled={activity.isFetchingNextPage} onClick={() => void activity.fetchNextPage()}>
          Show older activity
        </button>
      ) : null}
    </section>
  );
}

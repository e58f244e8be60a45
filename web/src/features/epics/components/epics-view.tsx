import { Link } from '@tanstack/react-router';
import { useMemo, useState } from 'react';
import { EmptyState, ErrorText, Loading } from '../../../components/feedback';
import { STATUS_LABEL, type Task } from '../../../lib/task-vocabulary';
import { EPIC_STATUS_LABEL, type Epic, progressOf, useEpicTasks, useEpics } from '../api';
import { EpicForm } from './epic-form';
import { EpicProgress } from './epic-progress';
import '../epics.css';

type Scope = { orgId: string; orgSlug: string; projectId: string; projectKey: string; canWrite: boolean };

const dates = (epic: Epic) => (epic.startDate || epic.targetDate ? `${epic.startDate ?? '…'} – ${epic.targetDate ?? '…'}` : 'no dates');

/** The project's epics, each with its progress; members create new ones here. */
export function EpicsView({ orgId, orgSlug, projectId, projectKey, canWrite }: Scope) {
  const epics = useEpics(orgId, projectId);
  const ids = useMemo(() => epics.data?.map((epic) => epic.id), [epics.data]);
  const tasks = useEpicTasks(orgId, projectId, ids);
  const [creating, setCreating] = useState(false);
  const tasksOf = (epic: Epic) => (tasks.data ?? []).filter((task) => task.epicId === epic.id);
  return (
    <div className="stack">
      {canWrite && !creating ? (
        <div className="row">
          <button type="button" className="button-primary" onClick={() => setCreating(true)}>
            New epic
          </button>
        </div>
      ) : null}
      {creating ? <EpicForm orgId={orgId} projectId={projectId} onDone={() => setCreating(false)} /> : null}
      <ErrorText error={epics.error ?? tasks.error} />
      {epics.isPending || tasks.isPending ? <Loading label="Loading epics…" /> : null}
      {epics.data && epics.data.length === 0 ? <EmptyState title="No epics yet">{canWrite ? 'Group related tasks under an epic with “New epic”.' : null}</EmptyState> : null}
      {epics.data && tasks.data ? (
        <ul className="epic-list" aria-label="Epics">
          {epics.data.map((epic) => (
            <li key={epic.id} className="card epic-card">
              <h2>
                <Link to="/$orgSlug/projects/$key/epics/$epicId" params={{ orgSlug, key: projectKey, epicId: epic.id }}>
                  {epic.title}
                </Link>
              </h2>
              <span className="muted">
                {EPIC_STATUS_LABEL[epic.status]} · {dates(epic)}
              </span>
              <EpicProgress title={epic.title} progress={progressOf(tasksOf(epic))} />
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

function TaskList({ orgSlug, tasks, name }: { orgSlug: string; tasks: Task[]; name: string }) {
  if (tasks.length === 0) return <p className="muted">No tasks in this epic yet: choose the epic on a task’s page.</p>;
  return (
    <ul className="list" aria-label={name}>
      {tasks.map((task) => (
        <li key={task.id} className="epic-tasks">
          <Link to="/$orgSlug/tasks/$ref" params={{ orgSlug, ref: task.ref }}>
            <span className="card-ref">{task.ref}</span> {task.title}
          </Link>
          <span className="muted">
            {STATUS_LABEL[task.status]} · {task.storyPoints === null ? 'no estimate' : `${task.storyPoints} pt`}
          </span>
        </li>
      ))}
    </ul>
  );
}

/** One epic: description, progress, its tasks; members edit it in place. */
export function EpicDetail({ orgId, orgSlug, projectId, canWrite, epic }: Omit<Scope, 'projectKey'> & { epic: Epic }) {
  const tasks = useEpicTasks(orgId, projectId, [epic.id]);
  const [editing, setEditing] = useState(false);
  return (
    <div className="stack">
      <p className="muted">
        {EPIC_STATUS_LABEL[epic.status]} · {dates(epic)}
      </p>
      {canWrite && !editing ? (
        <div className="row">
          <button type="button" onClick={() => setEditing(true)}>
            Edit epic
          </button>
        </div>
      ) : null}
      {editing ? <EpicForm orgId={orgId} projectId={projectId} epic={epic} onDone={() => setEditing(false)} /> : null}
      {epic.description ? <p>{epic.description}</p> : null}
      <ErrorText error={tasks.error} />
      {tasks.isPending ? <Loading label="Loading tasks…" /> : null}
      {tasks.data ? (
        <>
          <EpicProgress title={epic.title} progress={progressOf(tasks.data)} />
          <section className="section" aria-labelledby="epic-tasks-heading">
            <h2 id="epic-tasks-heading">Tasks</h2>
            <TaskList orgSlug={orgSlug} tasks={tasks.data} name={`Tasks of ${epic.title}`} />
          </section>
        </>
      ) : null}
    </div>
  );
}

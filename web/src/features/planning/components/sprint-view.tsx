import { Link } from '@tanstack/react-router';
import { ErrorText, Loading } from '../../../components/feedback';
import { STATUS_LABEL } from '../../../lib/task-vocabulary';
import { type Sprint, useBurndown, useSprintTasks, useVelocity } from '../api';
import { BurndownChart, VelocityChart } from './charts';
import { SprintControls, sprintDates } from './sprint-controls';
import '../planning.css';

type SprintViewProps = { orgId: string; orgSlug: string; projectId: string; sprint: Sprint; sprints: Sprint[]; canWrite: boolean };

const STATUS_WORD: Record<Sprint['status'], string> = { planning: 'Planned', active: 'Active', completed: 'Completed' };

/** One sprint: its dates and goal, its burndown, the project's velocity, and its tasks. */
export function SprintView({ orgId, orgSlug, projectId, sprint, sprints, canWrite }: SprintViewProps) {
  const burndown = useBurndown(orgId, projectId, sprint.id);
  const velocity = useVelocity(orgId, projectId);
  const tasks = useSprintTasks(orgId, projectId, sprint.id);
  return (
    <div className="stack">
      <div className="plan-lane-details">
        <span>
          {STATUS_WORD[sprint.status]} · {sprintDates(sprint)}
          {sprint.velocity !== null ? ` · velocity ${sprint.velocity} pt` : ''}
        </span>
        {canWrite ? <SprintControls orgId={orgId} projectId={projectId} sprint={sprint} sprints={sprints.filter((candidate) => candidate.status !== 'completed')} /> : null}
      </div>
      {sprint.goal ? <p>Goal: {sprint.goal}</p> : null}
      <div className="chart-grid">
        <section className="section" aria-labelledby="burndown-heading">
          <h2 id="burndown-heading">Burndown</h2>
          <ErrorText error={burndown.error} />
          {burndown.isPending ? <Loading label="Loading the burndown…" /> : null}
          {burndown.data ? <BurndownChart burndown={burndown.data} /> : null}
        </section>
        <section className="section" aria-labelledby="velocity-heading">
          <h2 id="velocity-heading">Velocity</h2>
          <ErrorText error={velocity.error} />
          {velocity.isPending ? <Loading label="Loading the velocity…" /> : null}
          {velocity.data ? <VelocityChart velocity={velocity.data} /> : null}
        </section>
      </div>
      <section className="section" aria-labelledby="sprint-tasks-heading">
        <h2 id="sprint-tasks-heading">Tasks</h2>
        <ErrorText error={tasks.error} />
        {tasks.isPending ? <Loading label="Loading tasks…" /> : null}
        {tasks.data && tasks.data.length === 0 ? <p className="muted">No tasks in this sprint.</p> : null}
        {tasks.data && tasks.data.length > 0 ? (
          <ul className="list" aria-label={`Tasks of ${sprint.name}`}>
            {tasks.data.map((task) => (
              <li key={task.id} className="plan-task">
                <Link to="/$orgSlug/tasks/$ref" params={{ orgSlug, ref: task.ref }} data-shortcut-item>
                  <span className="card-ref">{task.ref}</span> {task.title}
                </Link>
                <span className="plan-meta">
                  <span className="tag">{STATUS_LABEL[task.status]}</span>
                  <span className="tag">{task.storyPoints === null ? 'no estimate' : `${task.storyPoints} pt`}</span>
                </span>
              </li>
            ))}
          </ul>
        ) : null}
      </section>
    </div>
  );
}

/** Every sprint of the project, newest first, each linking to its page. */
export function SprintList({ orgSlug, projectKey, sprints }: { orgSlug: string; projectKey: string; sprints: Sprint[] }) {
  const sorted = [...sprints].sort((a, b) => (b.startDate ?? '9999').localeCompare(a.startDate ?? '9999') || b.createdAt.localeCompare(a.createdAt));
  if (sorted.length === 0) return <p className="muted">No sprints yet: create one on the backlog.</p>;
  return (
    <ul className="list" aria-label="Sprints">
      {sorted.map((sprint) => (
        <li key={sprint.id} className="plan-task">
          <Link to="/$orgSlug/projects/$key/sprints/$sprintId" params={{ orgSlug, key: projectKey, sprintId: sprint.id }} data-shortcut-item>
            {sprint.name}
          </Link>
          <span className="muted">
            {STATUS_WORD[sprint.status]} · {sprintDates(sprint)}
            {sprint.velocity !== null ? ` · velocity ${sprint.velocity} pt` : ''}
          </span>
        </li>
      ))}
    </ul>
  );
}

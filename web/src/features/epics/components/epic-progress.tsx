import type { Progress } from '../api';

/** A progress bar with its numbers in words beside it (the bar's name says whose progress). */
export function EpicProgress({ title, progress }: { title: string; progress: Progress }) {
  const { doneTasks, totalTasks, donePoints, totalPoints } = progress;
  return (
    <div className="progress">
      <progress aria-label={`Progress of ${title}`} max={Math.max(totalTasks, 1)} value={doneTasks} />
      <span>
        {doneTasks} of {totalTasks} tasks done · {donePoints} of {totalPoints} pt
      </span>
    </div>
  );
}

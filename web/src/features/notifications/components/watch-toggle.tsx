import { ErrorText } from '../../../components/feedback';
import { useSetWatch, useWatch } from '../api';

/** Watch a task (hear of its comments and status changes) or stop; it says how many watch it. */
export function WatchToggle({ orgId, taskId }: { orgId: string; taskId: string }) {
  const watch = useWatch(orgId, taskId);
  const setWatch = useSetWatch(orgId, taskId);
  if (!watch.data) return <ErrorText error={watch.error} />;
  const { watching, watcherCount } = watch.data;
  return (
    <div className="watch-toggle">
      <button type="button" className="button" aria-pressed={watching} disabled={setWatch.isPending} onClick={() => setWatch.mutate(!watching)}>
        {watching ? 'Watching' : 'Watch'}
      </button>
      <span className="muted small">
        {watcherCount} {watcherCount === 1 ? 'watcher' : 'watchers'}
      </span>
      <ErrorText error={setWatch.error} />
    </div>
  );
}

import { PRIORITY_LABEL, STATUS_LABEL, TYPE_LABEL } from '../../../lib/task-vocabulary';
import type { ImportResult } from '../api';

/** The tasks a dry run would create, as the server read them (the first 50). */
export function ImportPreview({ result }: { result: ImportResult }) {
  return (
    <div className="table-scroll">
      <table className="usage">
        <caption>
          Preview{result.count > result.tasks.length ? ` (the first ${result.tasks.length} of ${result.count})` : ''}
        </caption>
        <thead>
          <tr>
            <th scope="col">Title</th>
            <th scope="col">Type</th>
            <th scope="col">Status</th>
            <th scope="col">Priority</th>
            <th scope="col">Points</th>
            <th scope="col">Due</th>
          </tr>
        </thead>
        <tbody>
          {result.tasks.map((task, index) => (
            <tr key={index}>
              <td>{task.title}</td>
              <td>{TYPE_LABEL[task.type ?? 'task']}</td>
              <td>{STATUS_LABEL[task.status ?? 'todo']}</td>
              <td>{PRIORITY_LABEL[task.priority ?? 'medium']}</td>
              <td>{task.storyPoints ?? ''}</td>
              <td>{task.dueDate ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

import { useId } from 'react';
import { ErrorText, Loading } from '../../../components/feedback';
import { useGenerationsThisMonth } from '../api';

const number = new Intl.NumberFormat();
const TASK_LABEL: Record<string, string> = { stories: 'User stories', document: 'Document draft', chat: 'Conversation', 'sprint-summary': 'Sprint summary' };

/** This month's generations, newest first, each with its tokens, cost and the price version it was charged at. */
export function GenerationsThisMonth({ orgId }: { orgId: string }) {
  const id = useId();
  const generations = useGenerationsThisMonth(orgId);
  return (
    <section className="section" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>Generations this month</h2>
      {generations.isPending ? <Loading label="Loading generations…" /> : null}
      <ErrorText error={generations.error} />
      {generations.data?.length === 0 ? <p className="muted">None yet this month.</p> : null}
      {generations.data && generations.data.length > 0 ? (
        <div className="table-scroll">
          <table className="usage">
            <caption>Generations this month, newest first</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">What</th>
                <th scope="col">Model</th>
                <th scope="col">Status</th>
                <th scope="col">Tokens in</th>
                <th scope="col">Tokens out</th>
                <th scope="col">Cost</th>
                <th scope="col">Price version</th>
              </tr>
            </thead>
            <tbody>
              {generations.data.slice(0, 50).map((generation) => (
                <tr key={generation.id}>
                  <th scope="row">{new Date(generation.createdAt).toLocaleString()}</th>
                  <td>{generation.task ? TASK_LABEL[generation.task] : `${generation.generationType} (recorded)`}</td>
                  <td>{generation.model}</td>
                  <td>{generation.status}</td>
                  <td>{number.format(generation.promptTokens)}</td>
                  <td>{number.format(generation.completionTokens)}</td>
                  <td>{Number(generation.cost).toString()}</td>
                  <td>{generation.priceVersion ?? 'no price'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}

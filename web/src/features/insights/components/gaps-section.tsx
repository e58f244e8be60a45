import { useState } from 'react';
import { EmptyState, ErrorText, Loading } from '../../../components/feedback';
import type { Schemas } from '../../../api/client';
import { useCreateGap, useGaps } from '../api';

const GAP_TYPES: Schemas['CreateGap']['gapType'][] = ['resource', 'skill', 'process', 'technology', 'communication', 'timeline', 'budget', 'quality'];
const SEVERITIES: NonNullable<Schemas['CreateGap']['severity']>[] = ['low', 'medium', 'high', 'critical'];
const words = (value: string) => value[0]!.toUpperCase() + value.slice(1).replace(/_/g, ' ');

type Props = { orgId: string; projectId: string; canWrite: boolean };

/** What stands between the project and its goal: the recorded gaps, and (for members) a form to add one. */
export function GapsSection({ orgId, projectId, canWrite }: Props) {
  const gaps = useGaps(orgId, projectId);
  const create = useCreateGap(orgId, projectId);
  const [adding, setAdding] = useState(false);
  const [title, setTitle] = useState('');
  const [gapType, setGapType] = useState<Schemas['CreateGap']['gapType']>('process');
  const [severity, setSeverity] = useState<NonNullable<Schemas['CreateGap']['severity']>>('medium');
  return (
    <section className="section" aria-labelledby="gaps-heading">
      <h2 id="gaps-heading">Gaps</h2>
      {canWrite && !adding ? (
        <button type="button" className="button-quiet" onClick={() => setAdding(true)}>
          Add gap
        </button>
      ) : null}
      {adding ? (
        <form
          className="card stack"
          aria-label="New gap"
          onSubmit={(event) => {
            event.preventDefault();
            create.mutate(
              { title: title.trim(), gapType, severity },
              {
                onSuccess: () => {
                  setTitle('');
                  setAdding(false);
                },
              },
            );
          }}
        >
          <label className="field">
            Gap title
            <input type="text" value={title} required maxLength={500} autoFocus onChange={(event) => setTitle(event.target.value)} />
          </label>
          <label className="field">
            Kind
            <select value={gapType} onChange={(event) => setGapType(event.target.value as typeof gapType)}>
              {GAP_TYPES.map((value) => (
                <option key={value} value={value}>
                  {words(value)}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            Severity
            <select value={severity} onChange={(event) => setSeverity(event.target.value as typeof severity)}>
              {SEVERITIES.map((value) => (
                <option key={value} value={value}>
                  {words(value)}
                </option>
              ))}
            </select>
          </label>
          <ErrorText error={create.error} />
          <div className="row">
            <button type="submit" className="button-primary" disabled={create.isPending}>
              Save gap
            </button>
            <button type="button" className="button-quiet" onClick={() => setAdding(false)}>
              Cancel
            </button>
          </div>
        </form>
      ) : null}
      <ErrorText error={gaps.error} />
      {gaps.isPending ? <Loading label="Loading gaps…" /> : null}
      {gaps.data?.length === 0 ? <EmptyState title="No gaps recorded." /> : null}
      {gaps.data && gaps.data.length > 0 ? (
        <ul className="list" aria-label="Gaps">
          {gaps.data.map((gap) => (
            <li key={gap.id} className="gap-row" data-shortcut-item tabIndex={-1}>
              <span>{gap.title}</span>
              <span className="muted">
                {words(gap.gapType)} · {words(gap.severity)} severity · {words(gap.status)}
              </span>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

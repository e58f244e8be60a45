import { useId } from 'react';
import { ErrorText, Loading } from '../../../components/feedback';
import { useUsage } from '../api';
import { PlanControls } from './plan-controls';

const METERS = [
  ['members', 'Members'],
  ['projects', 'Projects'],
  ['tasks', 'Tasks'],
  ['storageBytes', 'Storage'],
  ['aiTokens', 'AI tokens this month'],
] as const;

function amount(meter: (typeof METERS)[number][0], value: number): string {
  if (meter !== 'storageBytes') return value.toLocaleString();
  if (value < 1024 * 1024) return `${Math.round(value / 1024).toLocaleString()} KB`;
  return `${(value / 1024 / 1024).toFixed(1)} MB`;
}

/** The plan and each limit as a table: what is used, out of how much; owners change the plan (plan-controls.tsx). */
export function UsageSection({ orgId, canManageBilling }: { orgId: string; canManageBilling: boolean }) {
  const id = useId();
  const usage = useUsage(orgId);
  return (
    <section className="section" aria-labelledby={id}>
      <h2 id={id}>Plan and usage</h2>
      {usage.isPending ? <Loading /> : null}
      <ErrorText error={usage.error} />
      {usage.data ? (
        <>
          <p>
            Plan: <strong>{usage.data.plan?.name ?? 'none'}</strong>
          </p>
          <table className="usage">
            <thead>
              <tr>
                <th scope="col">Resource</th>
                <th scope="col">Used</th>
                <th scope="col">Limit</th>
              </tr>
            </thead>
            <tbody>
              {METERS.map(([meter, label]) => (
                <tr key={meter}>
                  <th scope="row">{label}</th>
                  <td>{amount(meter, usage.data[meter].used)}</td>
                  <td>{usage.data[meter].limit === null ? 'No limit' : amount(meter, usage.data[meter].limit)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {canManageBilling && usage.data.plan ? <PlanControls orgId={orgId} current={usage.data.plan.code} /> : null}
        </>
      ) : null}
    </section>
  );
}

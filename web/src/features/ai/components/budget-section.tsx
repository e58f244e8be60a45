import { useId, useState } from 'react';
import type { Schemas } from '../../../api/client';
import { ErrorText, Loading } from '../../../components/feedback';
import { useAiBudget, useSetMonthlyBudget } from '../api';

const number = new Intl.NumberFormat();
const tokens = (value: number | null) => (value === null ? 'no limit' : `${number.format(value)} tokens`);

/**
 * This month's tokens against the budget in force (the smaller of the organization's and the
 * plan's), with both shown; admins set the organization's own.
 */
export function BudgetSection({ org, canManage }: { org: Schemas['Organization']; canManage: boolean }) {
  const id = useId();
  const budget = useAiBudget(org.id);
  const data = budget.data;
  const spent = data ? data.used + data.reserved : 0;
  return (
    <section className="section" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>Monthly token budget</h2>
      {budget.isPending ? <Loading label="Loading the budget…" /> : null}
      <ErrorText error={budget.error} />
      {data ? (
        <>
          <table className="usage">
            <caption>Tokens in {data.month.slice(0, 7)} (UTC)</caption>
            <tbody>
              <tr>
                <th scope="row">Budget in force</th>
                <td>{tokens(data.budget)}</td>
              </tr>
              <tr>
                <th scope="row">Organization’s budget</th>
                <td>{tokens(data.organizationBudget)}</td>
              </tr>
              <tr>
                <th scope="row">Plan’s budget</th>
                <td>{tokens(data.planBudget)}</td>
              </tr>
              <tr>
                <th scope="row">Used</th>
                <td>{number.format(data.used)}</td>
              </tr>
              <tr>
                <th scope="row">Held by running requests</th>
                <td>{number.format(data.reserved)}</td>
              </tr>
              <tr>
                <th scope="row">Left</th>
                <td>{data.budget === null ? 'no limit' : number.format(Math.max(0, data.budget - spent))}</td>
              </tr>
            </tbody>
          </table>
          {data.budget !== null ? (
            <p className="ai-meter">
              <label htmlFor={`${id}-meter`}>Used of the budget in force</label>
              <meter id={`${id}-meter`} min={0} max={data.budget} value={Math.min(spent, data.budget)} high={data.budget * 0.8} optimum={0}>
                {((spent / Math.max(1, data.budget)) * 100).toFixed(1)}%
              </meter>
              <span>{((spent / Math.max(1, data.budget)) * 100).toFixed(1)}%</span>
            </p>
          ) : null}
        </>
      ) : null}
      {canManage ? <OrganizationBudgetForm key={org.settings.ai?.monthlyTokenBudget ?? 'none'} org={org} /> : null}
    </section>
  );
}

function OrganizationBudgetForm({ org }: { org: Schemas['Organization'] }) {
  const set = useSetMonthlyBudget(org);
  const current = org.settings.ai?.monthlyTokenBudget;
  const [value, setValue] = useState(current === undefined ? '' : String(current));
  return (
    <form
      className="inline-form"
      onSubmit={(event) => {
        event.preventDefault();
        set.mutate(value.trim() === '' ? null : Number(value));
      }}
    >
      <label className="field">
        Organization’s monthly token budget
        <input type="number" min={0} step={1} value={value} onChange={(event) => setValue(event.target.value)} />
        <span className="hint">Empty: only the plan’s budget applies. The smaller of the two is in force.</span>
      </label>
      <button type="submit" disabled={set.isPending}>
        Save budget
      </button>
      {set.isSuccess ? <p role="status">Saved.</p> : null}
      <ErrorText error={set.error} />
    </form>
  );
}

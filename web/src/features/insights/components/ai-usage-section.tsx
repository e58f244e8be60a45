import { Bar, BarChart, CartesianGrid, ReferenceLine, XAxis, YAxis } from 'recharts';
import { ErrorText, Loading } from '../../../components/feedback';
import { useAiUsageByMonth } from '../api';
import { CHART_AXIS as AXIS, ChartFigure } from '../../../components/chart-figure';

const number = new Intl.NumberFormat();

/** Where the budget in force comes from: the organization's own, the plan's, or the smaller of both. */
function budgetSource(organization: number | null, plan: number | null): string {
  if (organization !== null && plan !== null) return ` (the smaller of the organization's ${number.format(organization)} and the plan's ${number.format(plan)})`;
  if (organization !== null) return " (the organization's)";
  return plan !== null ? " (the plan's)" : '';
}

/** AI tokens per month, against the monthly budget in force (a line; none when nothing limits it). */
export function AiUsageSection({ orgId }: { orgId: string }) {
  const usage = useAiUsageByMonth(orgId);
  const budgetText =
    usage.budget === null ? 'no monthly limit' : `a budget of ${number.format(usage.budget)} tokens a month${budgetSource(usage.organizationBudget, usage.planBudget)}`;
  const name = `AI usage per month: ${usage.months.map((month) => `${month.month} ${number.format(month.tokens)} tokens`).join(', ') || 'none yet'}; ${budgetText}`;
  return (
    <section className="section" aria-labelledby="ai-usage-heading">
      <h2 id="ai-usage-heading">AI usage</h2>
      <ErrorText error={usage.error} />
      {usage.isPending ? <Loading label="Loading AI usage…" /> : null}
      {!usage.isPending && usage.months.length === 0 ? <p className="muted">No AI generation recorded yet ({budgetText}).</p> : null}
      {usage.months.length > 0 ? (
        <ChartFigure
          name={name}
          table={
            <table>
              <caption>
                AI usage per month: {budgetText}
              </caption>
              <thead>
                <tr>
                  <th scope="col">Month</th>
                  <th scope="col">Tokens</th>
                  <th scope="col">Of budget</th>
                  <th scope="col">Generations</th>
                  <th scope="col">Cost</th>
                </tr>
              </thead>
              <tbody>
                {usage.months.map((month) => (
                  <tr key={month.month}>
                    <th scope="row">{month.month}</th>
                    <td>{number.format(month.tokens)}</td>
                    <td>{usage.budget ? `${((month.tokens / usage.budget) * 100).toFixed(1)}%` : '—'}</td>
                    <td>{month.generations}</td>
                    <td>{month.cost.toFixed(2)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          }
        >
          <BarChart data={usage.months} accessibilityLayer={false} margin={{ top: 8, right: 8, bottom: 0, left: 8 }}>
            <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" />
            <XAxis dataKey="month" {...AXIS} />
            <YAxis {...AXIS} allowDecimals={false} tickFormatter={(value: number) => new Intl.NumberFormat(undefined, { notation: 'compact' }).format(value)} />
            <Bar dataKey="tokens" name="Tokens" fill="var(--accent)" isAnimationActive={false} />
            {usage.budget !== null ? <ReferenceLine y={usage.budget} stroke="var(--danger)" strokeDasharray="6 4" label={{ value: 'Budget', fill: 'var(--text)', fontSize: 12 }} /> : null}
          </BarChart>
        </ChartFigure>
      ) : null}
    </section>
  );
}

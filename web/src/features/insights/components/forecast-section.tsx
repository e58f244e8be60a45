import { Bar, BarChart, CartesianGrid, XAxis, YAxis } from 'recharts';
import { ErrorText, Loading } from '../../../components/feedback';
import { type InsufficientHistory, type Prediction, percentilesOf, useLatestForecast, useRunForecast } from '../api';
import { CHART_AXIS as AXIS, ChartFigure } from '../../../components/chart-figure';

type Props = { orgId: string; projectId: string; projectName: string; canWrite: boolean };

/** The delivery forecast: completion dates by percentile, from the latest stored Monte Carlo run. */
export function ForecastSection({ orgId, projectId, projectName, canWrite }: Props) {
  const latest = useLatestForecast(orgId, projectId);
  const run = useRunForecast(orgId, projectId);
  const answer = run.data;
  const insufficient = answer && 'insufficientHistory' in answer ? answer : null;
  const forecast = answer && !('insufficientHistory' in answer) ? answer : latest.data;
  return (
    <section className="section" aria-labelledby="forecast-heading">
      <h2 id="forecast-heading">Delivery forecast</h2>
      {canWrite ? (
        <button type="button" className="button-quiet" disabled={run.isPending} onClick={() => run.mutate()}>
          {run.isPending ? 'Forecasting…' : 'Run a new forecast'}
        </button>
      ) : null}
      <ErrorText error={run.error ?? latest.error} />
      {insufficient ? <TooLittleHistory answer={insufficient} /> : null}
      {latest.isPending ? <Loading label="Loading the forecast…" /> : null}
      {forecast ? <ForecastChart projectName={projectName} forecast={forecast} /> : null}
      {!latest.isPending && !forecast && !insufficient ? (
        <p className="muted">No forecast yet.{canWrite ? ' Run one to see when the open work is likely to be done.' : ''}</p>
      ) : null}
    </section>
  );
}

function TooLittleHistory({ answer }: { answer: InsufficientHistory }) {
  return (
    <p className="card" role="status">
      Not enough history to forecast yet: {answer.reason} ({Number(answer.weeksOfHistory.toFixed(1))} of {answer.minimumWeeks} weeks, {answer.completedTasks} of{' '}
      {answer.minimumCompletedTasks} completed tasks.)
    </p>
  );
}

function ForecastChart({ projectName, forecast }: { projectName: string; forecast: Prediction }) {
  const rows = percentilesOf(forecast);
  if (rows.length === 0) return <p className="muted">The latest forecast has no completion dates.</p>;
  const made = forecast.createdAt.slice(0, 10);
  const name = `Delivery forecast for ${projectName}: ${rows.map((row) => `${row.percentile}% likely by ${row.date}`).join(', ')}`;
  const data = rows.map((row) => ({ ...row, label: `${row.percentile}%` }));
  const table = (
    <table>
      <caption>
        Delivery forecast made {made}
        {forecast.confidence !== null ? `, confidence ${Math.round(forecast.confidence * 100)}%` : ''}
      </caption>
      <thead>
        <tr>
          <th scope="col">Likelihood</th>
          <th scope="col">Done by</th>
          <th scope="col">Days from the forecast</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.percentile}>
            <th scope="row">{row.percentile}%</th>
            <td>{row.date}</td>
            <td>{row.days}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
  return (
    <ChartFigure name={name} table={table}>
      <BarChart data={data} accessibilityLayer={false} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
        <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" />
        <XAxis dataKey="label" {...AXIS} />
        <YAxis {...AXIS} allowDecimals={false} />
        <Bar dataKey="days" name="Days from the forecast" fill="var(--accent)" isAnimationActive={false} />
      </BarChart>
    </ChartFigure>
  );
}

import { Bar, BarChart, CartesianGrid, ComposedChart, Legend, Line, XAxis, YAxis } from 'recharts';
import { CHART_AXIS as axis, ChartFigure } from '../../../components/chart-figure';
import type { Burndown, Velocity } from '../api';

// Colours from the theme's variables, so the charts follow light and dark.
const ACCENT = 'var(--accent)';
const MUTED = 'var(--muted)';
const DANGER = 'var(--danger)';
const LINK = 'var(--link)';

/** Remaining points per day against the ideal line, with the scope that came and went. */
export function BurndownChart({ burndown }: { burndown: Burndown }) {
  const { sprint, days, totals } = burndown;
  const name = `Burndown of ${sprint.name}: ${totals.remaining} of ${totals.scope} points remaining, ${totals.committed} committed, ${totals.scopeAdded} added and ${totals.scopeRemoved} removed`;
  const table = (
    <table>
      <caption>Burndown of {sprint.name}, points per day</caption>
      <thead>
        <tr>
          <th scope="col">Day</th>
          <th scope="col">Remaining</th>
          <th scope="col">Ideal</th>
          <th scope="col">Completed</th>
          <th scope="col">Scope added</th>
          <th scope="col">Scope removed</th>
        </tr>
      </thead>
      <tbody>
        {days.map((day) => (
          <tr key={day.date}>
            <th scope="row">{day.date}</th>
            <td>{day.remaining}</td>
            <td>{Number(day.ideal.toFixed(1))}</td>
            <td>{day.completed}</td>
            <td>{day.scopeAdded}</td>
            <td>{day.scopeRemoved}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
  if (days.length === 0) return <p className="muted">The burndown starts on the sprint’s start date ({sprint.startDate ?? 'not set yet'}).</p>;
  return (
    <ChartFigure name={name} table={table}>
      <ComposedChart data={days} accessibilityLayer={false} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
        <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" />
        <XAxis dataKey="date" {...axis} tickFormatter={(date: string) => date.slice(5)} minTickGap={16} />
        <YAxis {...axis} allowDecimals={false} />
        <Legend />
        <Bar dataKey="scopeAdded" name="Scope added" fill={LINK} isAnimationActive={false} />
        <Bar dataKey="scopeRemoved" name="Scope removed" fill={DANGER} isAnimationActive={false} />
        <Line dataKey="ideal" name="Ideal" stroke={MUTED} strokeDasharray="6 4" dot={false} isAnimationActive={false} />
        <Line dataKey="remaining" name="Remaining" stroke={ACCENT} strokeWidth={2} isAnimationActive={false} />
      </ComposedChart>
    </ChartFigure>
  );
}

/** Committed against completed points per past sprint, oldest on the left. */
export function VelocityChart({ velocity }: { velocity: Velocity }) {
  const items = [...velocity.items].reverse();
  if (items.length === 0) return <p className="muted">No completed sprints yet: velocity appears once the first sprint is completed.</p>;
  const latest = items.at(-1)!;
  const name = `Velocity over the last ${items.length} completed ${items.length === 1 ? 'sprint' : 'sprints'}: committed against completed points; latest ${latest.name}, ${latest.completed} of ${latest.committed} points`;
  const table = (
    <table>
      <caption>Velocity per completed sprint, in points</caption>
      <thead>
        <tr>
          <th scope="col">Sprint</th>
          <th scope="col">Dates</th>
          <th scope="col">Committed</th>
          <th scope="col">Completed</th>
        </tr>
      </thead>
      <tbody>
        {items.map((item) => (
          <tr key={item.sprintId}>
            <th scope="row">{item.name}</th>
            <td>
              {item.startDate ?? '–'} – {item.endDate ?? '–'}
            </td>
            <td>{item.committed}</td>
            <td>{item.completed}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
  return (
    <ChartFigure name={name} table={table}>
      <BarChart data={items} accessibilityLayer={false} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
        <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" />
        <XAxis dataKey="name" {...axis} />
        <YAxis {...axis} allowDecimals={false} />
        <Legend />
        <Bar dataKey="committed" name="Committed" fill={MUTED} isAnimationActive={false} />
        <Bar dataKey="completed" name="Completed" fill={ACCENT} isAnimationActive={false} />
      </BarChart>
    </ChartFigure>
  );
}

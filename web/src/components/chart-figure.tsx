import { ResponsiveContainer } from 'recharts';
import '../styles/charts.css';

/**
 * A chart for the eye (role="img", named by what it shows) followed by its numbers as a table
 * for everyone else. Import it only from lazy-loaded screens: it brings recharts along.
 */
export function ChartFigure({ name, children, table, height = 260 }: { name: string; children: React.ReactElement; table: React.ReactNode; height?: number }) {
  return (
    <figure className="chart">
      <div className="chart-canvas" role="img" aria-label={name}>
        <ResponsiveContainer width="100%" height={height}>
          {children}
        </ResponsiveContainer>
      </div>
      <div className="chart-table">{table}</div>
    </figure>
  );
}

/** Axis colours from the theme's variables, so charts follow light and dark. */
export const CHART_AXIS = { stroke: 'var(--muted)', tick: { fill: 'var(--text)', fontSize: 12 } };

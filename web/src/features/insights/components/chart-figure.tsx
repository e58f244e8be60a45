import { ResponsiveContainer } from 'recharts';

/** A chart for the eye (role="img", named by what it shows) followed by its numbers as a table for everyone else. */
export function ChartFigure({ name, children, table }: { name: string; children: React.ReactElement; table: React.ReactNode }) {
  return (
    <figure className="insight-chart">
      <div className="insight-canvas" role="img" aria-label={name}>
        <ResponsiveContainer width="100%" height={240}>
          {children}
        </ResponsiveContainer>
      </div>
      <div className="insight-table">{table}</div>
    </figure>
  );
}

export const AXIS = { stroke: 'var(--muted)', tick: { fill: 'var(--text)', fontSize: 12 } };

import type { GrowthSeries } from '../growth.js';

const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b'];
const PANEL = { width: 440, height: 330, left: 56, right: 16, top: 36, bottom: 46 };

/**
 * Latency against data size as a self-contained SVG: one panel per tenant kind (the typical
 * tenant, the same size in every dataset; and each dataset's largest tenant), one colour per
 * query, p50 solid and p95 dashed, x on a log scale of total tasks.
 */
export function latencyChart(series: readonly GrowthSeries[], subtitle: string): string {
  const kinds = [...new Set(series.map((s) => s.tenant))];
  const width = PANEL.width * kinds.length;
  const height = PANEL.height + 70;
  const queries = [...new Set(series.map((s) => s.query))];
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    `<text x="${width / 2}" y="18" text-anchor="middle" font-size="14" font-weight="bold">SELECT latency against data size (ms)</text>`,
    `<text x="${width / 2}" y="33" text-anchor="middle" fill="#555">${escape(subtitle)}</text>`,
  ];
  kinds.forEach((kind, index) => {
    parts.push(panel(series.filter((s) => s.tenant === kind), queries, index * PANEL.width, 30, kind === 'typical' ? 'typical tenant (same size in every dataset)' : 'largest tenant of each dataset'));
  });
  const legendY = PANEL.height + 48;
  queries.forEach((query, index) => {
    const x = 20 + index * 150;
    parts.push(`<line x1="${x}" y1="${legendY}" x2="${x + 24}" y2="${legendY}" stroke="${color(index)}" stroke-width="2"/>`);
    parts.push(`<text x="${x + 30}" y="${legendY + 4}">${escape(query)}</text>`);
  });
  const noteX = 20 + queries.length * 150;
  parts.push(`<text x="${noteX}" y="${legendY + 4}" fill="#555">solid p50, dashed p95</text>`);
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

function panel(series: readonly GrowthSeries[], queries: readonly string[], x0: number, y0: number, title: string): string {
  const sizes = [...new Set(series.flatMap((s) => s.points.map((p) => p.tasks)))].sort((a, b) => a - b);
  const step = niceStep(Math.max(...series.flatMap((s) => s.points.map((p) => p.query.p95)), 0.1) / 4);
  const ticks = Math.ceil(Math.max(...series.flatMap((s) => s.points.map((p) => p.query.p95)), 0.1) / step);
  const maxY = step * ticks;
  const plotW = PANEL.width - PANEL.left - PANEL.right;
  const plotH = PANEL.height - PANEL.top - PANEL.bottom;
  const logMin = Math.log10(sizes[0] ?? 1);
  const logMax = Math.log10(sizes.at(-1) ?? 10);
  const span = logMax - logMin || 1;
  const px = (tasks: number) => x0 + PANEL.left + (sizes.length === 1 ? plotW / 2 : ((Math.log10(tasks) - logMin) / span) * plotW);
  const py = (ms: number) => y0 + PANEL.top + plotH - (ms / maxY) * plotH;
  const out: string[] = [`<text x="${x0 + PANEL.left + plotW / 2}" y="${y0 + PANEL.top - 10}" text-anchor="middle" font-weight="bold">${escape(title)}</text>`];
  out.push(`<rect x="${x0 + PANEL.left}" y="${y0 + PANEL.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#999"/>`);
  for (let i = 0; i <= ticks; i++) {
    const ms = step * i;
    out.push(`<line x1="${x0 + PANEL.left}" y1="${py(ms)}" x2="${x0 + PANEL.left + plotW}" y2="${py(ms)}" stroke="#eee"/>`);
    out.push(`<text x="${x0 + PANEL.left - 6}" y="${py(ms) + 4}" text-anchor="end">${trim(ms)}</text>`);
  }
  for (const tasks of sizes) {
    out.push(`<text x="${px(tasks)}" y="${y0 + PANEL.top + plotH + 16}" text-anchor="middle">${label(tasks)}</text>`);
  }
  out.push(`<text x="${x0 + PANEL.left + plotW / 2}" y="${y0 + PANEL.top + plotH + 34}" text-anchor="middle" fill="#555">tasks in the database (log scale)</text>`);
  for (const s of series) {
    const stroke = color(queries.indexOf(s.query));
    for (const [field, dash] of [['p50', ''], ['p95', ' stroke-dasharray="5 4"']] as const) {
      const points = s.points.map((p) => `${px(p.tasks).toFixed(1)},${py(p.query[field]).toFixed(1)}`).join(' ');
      out.push(`<polyline points="${points}" fill="none" stroke="${stroke}" stroke-width="2"${dash}/>`);
      for (const p of s.points) out.push(`<circle cx="${px(p.tasks).toFixed(1)}" cy="${py(p.query[field]).toFixed(1)}" r="2.5" fill="${stroke}"/>`);
    }
  }
  return out.join('\n');
}

function color(index: number): string {
  return COLORS[index % COLORS.length] ?? '#000';
}

/** The smallest of 1, 2, 2.5, 5 × 10^k that is at least `value`: grid lines at round numbers. */
function niceStep(value: number): number {
  const magnitude = 10 ** Math.floor(Math.log10(value));
  return ([1, 2, 2.5, 5, 10].find((m) => m * magnitude >= value) ?? 10) * magnitude;
}

function trim(value: number): string {
  return String(Math.round(value * 1000) / 1000);
}

function label(tasks: number): string {
  return tasks >= 1_000_000 ? `${tasks / 1_000_000}M` : tasks >= 1_000 ? `${tasks / 1_000}k` : String(tasks);
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

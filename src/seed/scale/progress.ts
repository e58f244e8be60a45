import cliProgress from 'cli-progress';
import type { ScaleProgress } from './seed-scale.js';

/** How often a non-interactive run (CI, a log file) prints a progress line. */
const LINE_INTERVAL_MS = 10_000;

export type ProgressReporter = {
  onProgress(event: ScaleProgress): void;
  /** Clears the bar, if any; call before printing the summary (and on failure). */
  stop(): void;
};

/**
 * Shows a scale load's progress: a bar on stderr when it is a terminal, otherwise a line on
 * stdout (through `say`) every ten seconds and at each step after the load, so logs stay
 * readable; the summary lists every table.
 */
export function progressReporter(say: (line: string) => void, interactive = process.stderr.isTTY): ProgressReporter {
  return interactive ? barReporter() : lineReporter(say);
}

function barReporter(): ProgressReporter {
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: '  {table} |{bar}| {percentage}% · {value}/{total} rows · {speed} rows/s · ETA {eta_formatted}',
      formatValue: (value, _options, type) => (type === 'value' || type === 'total' ? value.toLocaleString('en-US') : String(value)),
      hideCursor: true,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  const started = performance.now();
  let running = false;
  return {
    onProgress(event) {
      const speed = (loaded: number) => Math.round(loaded / Math.max(0.001, (performance.now() - started) / 1000)).toLocaleString('en-US');
      if (event.step === 'load') {
        if (!running) {
          bar.start(event.total, 0, { table: event.table.padEnd(17), speed: '0' });
          running = true;
        }
        bar.update(event.loaded, { table: event.table.padEnd(17), speed: speed(event.loaded) });
      } else if (running) {
        bar.update({ table: stepLabel(event.step).padEnd(17) });
      }
    },
    stop() {
      if (running) bar.stop();
      running = false;
    },
  };
}

function lineReporter(say: (line: string) => void): ProgressReporter {
  const started = performance.now();
  let lastLine = started;
  return {
    onProgress(event) {
      const now = performance.now();
      if (event.step === 'load' && now - lastLine >= LINE_INTERVAL_MS) {
        const rate = Math.round(event.loaded / Math.max(0.001, (now - started) / 1000));
        say(
          `  ${event.table}: ${event.tableRows.toLocaleString('en-US')} of ${event.tableTotal.toLocaleString('en-US')} rows` +
            ` (all tables: ${event.loaded.toLocaleString('en-US')} of ${event.total.toLocaleString('en-US')}, ${rate.toLocaleString('en-US')} rows/s)`,
        );
        lastLine = now;
      } else if (event.step !== 'load') {
        say(`  ${stepLabel(event.step)}…`);
        lastLine = now;
      }
    },
    stop() {},
  };
}

function stepLabel(step: 'index' | 'check' | 'commit' | 'analyze'): string {
  return { index: 'building indexes', check: 'checking the load', commit: 'committing', analyze: 'analyzing' }[step];
}

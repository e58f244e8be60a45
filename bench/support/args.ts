import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

/** Flags every benchmark understands; each reads the ones it needs. */
export type BenchFlags = {
  /** The main dataset: total tasks (a thousand per organization on average). */
  tasks: number;
  /** Dataset sizes for the growth benchmark, ascending. */
  sizes: number[];
  /** Measuring time per comparison, in seconds (each benchmark bounds itself with it). */
  seconds: number;
  /** HTTP and pgbench: concurrent connections and seconds per run. */
  connections: number;
  duration: number;
  /** Soak: total seconds and requests per second. */
  soakSeconds: number;
  rate: number;
  /** Bulk: dataset size for seedScale against raw COPY, and how many rounds of each comparison. */
  bulkTasks: number;
  rounds: number;
  /** Bulk: rounds of backup/restore and tenant export/import on the main dataset (minutes each at 1M tasks). */
  opsRounds: number;
  /** Embedded vs server: dataset size (PGlite is loaded in process). */
  embeddedTasks: number;
  /** Keep the benchmark databases afterwards (the next run reuses a dataset of the same size). */
  keep: boolean;
  /** Which benchmarks run.ts runs. */
  only: string[];
  /** Server processes behind the API benchmarks' port, as WEB_CONCURRENCY sets them (default 1). */
  webConcurrency: number;
  /** Task update: change the status (which tells the task's watchers) instead of the title. */
  status: boolean;
  /** Task move and delete: measure deletes instead of moves. */
  delete: boolean;
  /** Task update and comment create: name the task by its reference (ACME-7), not its id. */
  byRef: boolean;
};

const DEFAULTS = {
  tasks: 1_000_000,
  sizes: [100_000, 1_000_000],
  seconds: 20,
  connections: 16,
  duration: 15,
  soakSeconds: 180,
  rate: 100,
  bulkTasks: 100_000,
  rounds: 3,
  opsRounds: 1,
  embeddedTasks: 20_000,
};

export function parseFlags(argv: string[] = process.argv.slice(2)): BenchFlags {
  const { values } = parseArgs({
    args: argv,
    options: {
      tasks: { type: 'string' },
      sizes: { type: 'string' },
      seconds: { type: 'string' },
      connections: { type: 'string' },
      duration: { type: 'string' },
      'soak-seconds': { type: 'string' },
      rate: { type: 'string' },
      'bulk-tasks': { type: 'string' },
      rounds: { type: 'string' },
      'ops-rounds': { type: 'string' },
      'embedded-tasks': { type: 'string' },
      keep: { type: 'boolean', default: false },
      only: { type: 'string' },
      'web-concurrency': { type: 'string' },
      status: { type: 'boolean', default: false },
      delete: { type: 'boolean', default: false },
      'by-ref': { type: 'boolean', default: false },
    },
    strict: true,
  });
  const sizes = values.sizes === undefined ? DEFAULTS.sizes : values.sizes.split(',').map((s) => whole('--sizes', s));
  return {
    tasks: values.tasks === undefined ? DEFAULTS.tasks : whole('--tasks', values.tasks),
    sizes: [...sizes].sort((a, b) => a - b),
    seconds: values.seconds === undefined ? DEFAULTS.seconds : whole('--seconds', values.seconds),
    connections: values.connections === undefined ? DEFAULTS.connections : whole('--connections', values.connections),
    duration: values.duration === undefined ? DEFAULTS.duration : whole('--duration', values.duration),
    soakSeconds: values['soak-seconds'] === undefined ? DEFAULTS.soakSeconds : whole('--soak-seconds', values['soak-seconds']),
    rate: values.rate === undefined ? DEFAULTS.rate : whole('--rate', values.rate),
    bulkTasks: values['bulk-tasks'] === undefined ? DEFAULTS.bulkTasks : whole('--bulk-tasks', values['bulk-tasks']),
    rounds: values.rounds === undefined ? DEFAULTS.rounds : whole('--rounds', values.rounds),
    opsRounds: values['ops-rounds'] === undefined ? DEFAULTS.opsRounds : whole('--ops-rounds', values['ops-rounds']),
    embeddedTasks: values['embedded-tasks'] === undefined ? DEFAULTS.embeddedTasks : whole('--embedded-tasks', values['embedded-tasks']),
    keep: values.keep,
    only: values.only === undefined ? [] : values.only.split(',').map((name) => name.trim()).filter(Boolean),
    webConcurrency: values['web-concurrency'] === undefined ? 1 : whole('--web-concurrency', values['web-concurrency']),
    status: values.status,
    delete: values.delete,
    byRef: values['by-ref'],
  };
}

function whole(flag: string, text: string): number {
  const value = Number(text.replace(/_/g, ''));
  if (!Number.isInteger(value) || value < 1) throw new Error(`${flag} takes whole numbers of 1 or more, not "${text}"`);
  return value;
}

/** True when this module is the script node was asked to run (not imported by run.ts). */
export function isMain(moduleUrl: string): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(moduleUrl));
  } catch {
    return false;
  }
}

/** Runs a benchmark's main, printing a failure as one line and a non-zero exit. */
export function runMain(main: () => Promise<unknown>): void {
  // Through a promise, so a main that throws at once (a bad flag) fails the same one-line way.
  Promise.resolve().then(main).then(
    () => process.exit(),
    (error: unknown) => {
      process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
}

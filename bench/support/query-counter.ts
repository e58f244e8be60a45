import pg from 'pg';

/**
 * One statement a node-postgres client sent: its text and parameters, and for the statements of
 * a pipeline (src/db/pipeline.ts, one round trip) the number of that round trip.
 */
export type SentQuery = { text: string; values: unknown[]; pipeline?: number };

type QueryMethod = (...args: unknown[]) => unknown;

let installed = false;
let count = 0;
let recording: SentQuery[] | null = null;

/**
 * Counts (and, while recording, keeps) every statement any pg.Client in this process sends:
 * one call of `Client.prototype.query` is one round trip to the server (pool.query checks out
 * a client and calls it too). Benchmarks only: it replaces a driver method for the process.
 */
export function installQueryCounter(): void {
  if (installed) return;
  installed = true;
  // The prototype's overloads cannot be named as one function type; every overload takes
  // (text | config, values?, callback?), which is all the wrapper looks at.
  const prototype = pg.Client.prototype as unknown as { query: QueryMethod };
  const original = prototype.query;
  prototype.query = function countedQuery(this: unknown, ...args: unknown[]): unknown {
    count++;
    if (recording) recording.push(...describe(args, count));
    return Reflect.apply(original, this, args);
  };
}

export function queriesSent(): number {
  return count;
}

/** Keeps every statement sent while `work` runs. */
export async function recordQueries(work: () => Promise<unknown>): Promise<SentQuery[]> {
  installQueryCounter();
  const sent: SentQuery[] = [];
  recording = sent;
  try {
    await work();
  } finally {
    recording = null;
  }
  return sent;
}

function describe(args: unknown[], roundTrip: number): SentQuery[] {
  const [first, second] = args;
  if (typeof first === 'string') return [{ text: first, values: Array.isArray(second) ? second : [] }];
  if (typeof first === 'object' && first !== null) {
    const statements: unknown = Reflect.get(first, 'statements');
    if (Array.isArray(statements)) return (statements as SentQuery[]).map(({ text, values }) => ({ text, values, pipeline: roundTrip }));
    const text: unknown = Reflect.get(first, 'text');
    const values: unknown = Reflect.get(first, 'values');
    return [{ text: typeof text === 'string' ? text : '(unknown)', values: Array.isArray(values) ? values : Array.isArray(second) ? second : [] }];
  }
  return [{ text: '(unknown)', values: [] }];
}

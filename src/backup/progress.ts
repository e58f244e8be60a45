/** Where progress lines go: the CLI passes `say`, tests collect or drop them. */
export type ProgressSink = (line: string) => void;

/** How often a long phase may report how far it has got, so a big database does not flood the terminal. */
const UPDATE_INTERVAL_MS = 2_000;

/**
 * Progress for one backup or restore: a line per phase, stamped with the time since the work
 * began, and throttled updates inside the long phases (reading tables, pg_dump, pg_restore).
 *
 * @example
 * const clock = new ProgressClock(say);
 * clock.step('dumping with pg_dump 15.2');   // "  [0.4 s] dumping with pg_dump 15.2"
 * clock.update('12/40 tables');              // at most one such line every two seconds
 */
export class ProgressClock {
  readonly #started = performance.now();
  #lastLine = 0;

  constructor(private readonly sink: ProgressSink = () => undefined) {}

  step(text: string): void {
    this.#print(`  [${this.elapsed()}] ${text}`);
  }

  update(text: string): void {
    if (performance.now() - this.#lastLine < UPDATE_INTERVAL_MS) return;
    this.#print(`  [${this.elapsed()}]   ${text}`);
  }

  /** Seconds since the start, one decimal: "3.4 s". */
  elapsed(): string {
    return `${((performance.now() - this.#started) / 1000).toFixed(1)} s`;
  }

  #print(line: string): void {
    this.#lastLine = performance.now();
    this.sink(line);
  }
}

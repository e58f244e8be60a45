const DAY_MS = 86_400_000;

/**
 * Seed dates are relative to the run, so a fresh demo always has an active sprint around
 * today and AI usage in the last few months. Rows that already exist keep their dates.
 */
export class SeedClock {
  /** Midnight UTC of the run's day: whole-day offsets from it give stable, readable values. */
  private readonly today: number;

  constructor(readonly now: Date = new Date()) {
    this.today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  }

  /** A timestamptz `days` after (negative: before) today, at `hour`:`minute` UTC. */
  at(days: number, hour = 9, minute = 0): string {
    return new Date(this.today + days * DAY_MS + hour * 3_600_000 + minute * 60_000).toISOString();
  }

  /** A date column value, `days` after (negative: before) today. */
  date(days: number): string {
    return new Date(this.today + days * DAY_MS).toISOString().slice(0, 10);
  }
}

import { describe, expect, it } from 'vitest';
import { timestamptzToIso } from './timestamp-text.js';

describe('timestamptzToIso', () => {
  it('gives what a Date gives for every form PostgreSQL prints', () => {
    const printed = [
      '2026-12-05 21:08:40+00',
      '2026-12-05 21:08:40.1+00',
      '2026-12-05 21:08:40.12+00',
      '2026-12-05 21:08:40.123+00',
      '2026-12-05 21:08:40.1239+00',
      '2026-12-05 21:08:40.999999+00',
      '1999-12-31 23:59:59.000001+00',
      // Another session time zone, with and without minutes in the offset.
      '2026-12-06 02:38:40.5+05:30',
      '2026-12-05 16:08:40.25-05',
    ];
    for (const text of printed) expect(timestamptzToIso(text), text).toBe(new Date(text).toISOString());
  });
});

import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { runPipeline } from '../../src/db/pipeline.js';
import { PreparingClient } from '../../src/db/prepared-statements.js';
import { FRESH_UUID } from './pgbench.js';
import type { SentQuery } from './query-counter.js';

/**
 * The endpoint's recorded transaction sent from Node by node-postgres alone: no HTTP, no
 * session, no query builder, statements prepared as the server prepares them. Between pgbench
 * (a C client) and the API it shows what the JavaScript driver itself costs at the same
 * concurrency, so the API's gap can be split into driver and everything above it.
 */
export async function driverRate(url: string, transaction: readonly SentQuery[], options: { connections: number; seconds: number }): Promise<{ tps: number; p50: number }> {
  // Sent as the application sends it: a pipelined transaction in one round trip.
  const pipelined = transaction.some((statement) => statement.pipeline !== undefined);
  // An id the server makes per request (FRESH_UUID) is made anew for every transaction here too.
  const fresh = transaction.some((statement) => statement.values.includes(FRESH_UUID));
  const statementsOnce = () =>
    fresh ? transaction.map((statement) => ({ ...statement, values: statement.values.map((value) => (value === FRESH_UUID ? randomUUID() : value)) })) : transaction;
  const pool = new pg.Pool({ connectionString: url, max: options.connections, Client: PreparingClient as unknown as typeof pg.Client });
  const latencies: number[] = [];
  let started = 0;
  const deadline = () => performance.now() - started >= options.seconds * 1000;
  const worker = async () => {
    const client = await pool.connect();
    try {
      while (!deadline()) {
        const begun = performance.now();
        const statements = statementsOnce();
        if (pipelined) await runPipeline(client, statements, true);
        else for (const statement of statements) await client.query({ text: statement.text }, statement.values);
        latencies.push(performance.now() - begun);
      }
    } finally {
      client.release();
    }
  };
  try {
    // Connect every client first, so the clock measures transactions, not connection set-up.
    const warm = await Promise.all(Array.from({ length: options.connections }, () => pool.connect()));
    for (const client of warm) client.release();
    started = performance.now();
    await Promise.all(Array.from({ length: options.connections }, worker));
    const elapsed = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    return { tps: latencies.length / elapsed, p50: latencies[Math.floor(latencies.length / 2)] ?? Number.NaN };
  } finally {
    await pool.end();
  }
}

import { type CitusCluster, startCitusCluster } from '../support/citus-cluster.js';

let cluster: CitusCluster | undefined;

/**
 * One throwaway cluster for the whole Citus suite. Each test file makes its own databases on it
 * (test/support/database.ts creates them on every node and distributes them).
 */
export async function setup(): Promise<void> {
  cluster = await startCitusCluster();
  process.env.TEST_DATABASE_URL = cluster.coordinator.urlFor('postgres');
  process.env.TEST_CITUS_WORKERS = cluster.workers.map((worker) => worker.urlFor('postgres')).join(',');
}

export async function teardown(): Promise<void> {
  await cluster?.destroy();
}

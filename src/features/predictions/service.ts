import { v7 as uuidv7 } from 'uuid';
import type { PredictionResult } from '../../db/schema/index.js';
import { TenantryError } from '../../errors.js';
import { decodeCursor, toPage } from '../../http/pagination.js';
import { requireLiveProject } from '../shared/live-project.js';
import { type ServiceCall, inTenant, requirePermission } from '../shared/service-call.js';
import * as repository from './repository.js';
import type { DeliveryForecastInput, PredictionListFilter } from './schemas.js';
import { forecastConfidence, simulateDelivery } from './simulation.js';

const WEEK_MS = 7 * 24 * 60 * 60 * 1000;
const SIMULATIONS = 10_000;
/** A forecast describes the project as it is now; a week later it should be run again. */
const VALID_FOR_MS = WEEK_MS;

/** Tasks completed per week, newest week first: week i covers (now − (i+1) weeks, now − i weeks]. */
export function weeklyThroughput(completions: readonly Date[], now: Date, weeks: number): number[] {
  const counts = new Array<number>(weeks).fill(0);
  for (const at of completions) {
    const index = Math.min(weeks - 1, Math.max(0, Math.floor((now.getTime() - at.getTime()) / WEEK_MS)));
    counts[index] = (counts[index] ?? 0) + 1;
  }
  return counts;
}

/** FNV-1a over the text: the default seed, so repeating a forecast for a project repeats its numbers. */
function seedOf(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return hash;
}

const dateAfterWeeks = (now: Date, weeks: number) => new Date(now.getTime() + weeks * WEEK_MS).toISOString().slice(0, 10);

export async function listPredictions(call: ServiceCall, projectId: string, filter: PredictionListFilter) {
  requirePermission(call, 'read');
  const afterId = decodeCursor(filter.cursor);
  const { organizationId } = call.scope;
  const rows = await inTenant(call, async (tx) => {
    await requireLiveProject(tx, organizationId, projectId);
    return repository.listPredictions(tx, organizationId, projectId, {
      ...(filter.predictionType ? { predictionType: filter.predictionType } : {}),
      afterId,
      limit: filter.limit,
    });
  });
  return toPage(rows, filter.limit);
}

/**
 * Forecasts when the project's open tasks will be done from its own completed-task history
 * (no external AI), and stores the forecast. 409 when there is no history to learn from.
 */
export async function forecastDelivery(call: ServiceCall, projectId: string, input: DeliveryForecastInput, now = new Date()) {
  requirePermission(call, 'work:write');
  const { organizationId, userId } = call.scope;
  return inTenant(call, async (tx) => {
    await requireLiveProject(tx, organizationId, projectId);
    const since = new Date(now.getTime() - input.historyWeeks * WEEK_MS);
    const completions = await repository.completionTimes(tx, organizationId, projectId, since, now);
    if (completions.length === 0) {
      throw new TenantryError(
        'conflict',
        `no task of this project was completed in the last ${input.historyWeeks} weeks, so there is no throughput to forecast from; finish some tasks or widen historyWeeks`,
        { historyWeeks: input.historyWeeks, completedTasks: 0 },
      );
    }
    const openTasks = await repository.countOpenTasks(tx, organizationId, projectId);
    if (openTasks === 0) {
      throw new TenantryError('conflict', 'the project has no open tasks, so there is no delivery to forecast', { openTasks: 0 });
    }

    const throughput = weeklyThroughput(completions, now, input.historyWeeks);
    const seed = input.seed ?? seedOf(projectId);
    const simulation = simulateDelivery({ weeklyThroughput: throughput, remaining: openTasks, simulations: SIMULATIONS, seed });
    const { p50, p85, p95 } = simulation.weeks;
    const result: PredictionResult & { weeks: Record<string, number> } = {
      percentiles: { '50': dateAfterWeeks(now, p50), '85': dateAfterWeeks(now, p85), '95': dateAfterWeeks(now, p95) },
      weeks: { '50': p50, '85': p85, '95': p95 },
      mean: Math.round(simulation.meanWeeks * 100) / 100,
      standardDeviation: Math.round(simulation.standardDeviationWeeks * 100) / 100,
      simulations: simulation.simulations,
      summary: `${openTasks} open tasks: 85% of ${SIMULATIONS} simulated futures finish within ${p85} weeks (by ${dateAfterWeeks(now, p85)})`,
    };
    return repository.insertPrediction(tx, organizationId, {
      id: uuidv7(),
      projectId,
      predictionType: 'delivery_date',
      method: 'monte_carlo',
      confidence: forecastConfidence(simulation, throughput).toFixed(4),
      result,
      inputSummary: {
        asOf: now.toISOString(),
        historyWeeks: input.historyWeeks,
        weeklyThroughput: throughput,
        completedTasks: completions.length,
        openTasks,
        seed,
        censoredRuns: simulation.censored,
      },
      validUntil: new Date(now.getTime() + VALID_FOR_MS),
      createdById: userId,
    });
  });
}

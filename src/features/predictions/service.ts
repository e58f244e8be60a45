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
    await requireLiveProject(tx, call.scope, projectId);
    return repository.listPredictions(tx, organizationId, projectId, {
      ...(filter.predictionType ? { predictionType: filter.predictionType } : {}),
      afterId,
      limit: filter.limit,
    });
  });
  return toPage(rows, filter.limit);
}

/** Below these a forecast would be a guess: one day of data must not become 100 weeks of zeros. */
export const MIN_HISTORY_WEEKS = 2;
export const MIN_COMPLETED_TASKS = 5;

/**
 * Forecasts when the project's open tasks will be done from its own completed-task history
 * (no external AI), and stores the forecast. Throughput is sampled only from the weeks since the
 * project's history began (at most `historyWeeks`); with less than MIN_HISTORY_WEEKS of it, or
 * fewer than MIN_COMPLETED_TASKS completions, the answer says so instead of predicting.
 * 409 when nothing is left to do.
 */
export async function forecastDelivery(call: ServiceCall, projectId: string, input: DeliveryForecastInput, now = new Date()) {
  requirePermission(call, 'work:write');
  const { organizationId, userId } = call.scope;
  return inTenant(call, async (tx) => {
    await requireLiveProject(tx, call.scope, projectId, 'write');
    const openTasks = await repository.countOpenTasks(tx, organizationId, projectId);
    if (openTasks === 0) {
      throw new TenantryError('conflict', 'the project has no open tasks, so there is no delivery to forecast', { openTasks: 0 });
    }
    const startedAt = (await repository.historyStart(tx, organizationId, projectId)) ?? now;
    const weeksOfHistory = Math.max(0, now.getTime() - startedAt.getTime()) / WEEK_MS;
    // A week under way counts as a week: a project 7.5 weeks old samples 8.
    const weeks = Math.min(input.historyWeeks, Math.max(1, Math.ceil(weeksOfHistory)));
    const since = new Date(now.getTime() - weeks * WEEK_MS);
    const completions = await repository.completionTimes(tx, organizationId, projectId, since, now);
    const shortBy = insufficiency(weeksOfHistory, completions.length, weeks);
    if (shortBy) {
      return {
        insufficientHistory: true as const,
        reason: shortBy,
        weeksOfHistory: Math.round(weeksOfHistory * 10) / 10,
        completedTasks: completions.length,
        minimumWeeks: MIN_HISTORY_WEEKS,
        minimumCompletedTasks: MIN_COMPLETED_TASKS,
      };
    }

    const throughput = weeklyThroughput(completions, now, weeks);
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
        historyWeeks: weeks,
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

/** Why the history is too short to forecast from, in words; null when it is enough. */
function insufficiency(weeksOfHistory: number, completedTasks: number, weeks: number): string | null {
  if (weeksOfHistory < MIN_HISTORY_WEEKS) {
    const days = Math.floor(weeksOfHistory * 7);
    return `the project's history is ${days} day${days === 1 ? '' : 's'} long; a forecast needs at least ${MIN_HISTORY_WEEKS} weeks of it`;
  }
  if (completedTasks < MIN_COMPLETED_TASKS) {
    return `${completedTasks} task${completedTasks === 1 ? ' was' : 's were'} completed in the last ${weeks} weeks; a forecast needs at least ${MIN_COMPLETED_TASKS}`;
  }
  return null;
}

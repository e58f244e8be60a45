import type { Database } from '../../db/connection.js';
import { type Tx, withPlatform } from '../../db/tenant-context.js';
import * as repository from './repository.js';
import type { PlanRow } from './repository.js';

/** A plan's caps as the API shows them; null means unlimited. */
export function planLimits(plan: PlanRow) {
  return {
    members: plan.maxMembers,
    projects: plan.maxProjects,
    tasks: plan.maxTasks,
    storageBytes: plan.maxStorageBytes,
    aiTokensPerMonth: plan.maxAiTokensPerMonth,
  };
}

/**
 * The public catalogue. It belongs to no tenant and anonymous visitors read it, so there is no
 * organization to enter: it is read as the platform role, which only ever sees these tables here.
 */
function readCatalogue<T>(db: Database, requestId: string, work: (tx: Tx) => Promise<T>): Promise<T> {
  return withPlatform(db, { requestId }, work);
}

export async function listPlans(db: Database, requestId: string) {
  const [plans, links] = await readCatalogue(db, requestId, async (tx) => [
    await repository.listActivePlans(tx),
    await repository.listActivePlanFeatures(tx),
  ] as const);
  return plans.map((plan) => ({
    id: plan.id,
    code: plan.code,
    name: plan.name,
    description: plan.description,
    priceCents: plan.priceCents,
    currency: plan.currency,
    billingPeriod: plan.billingPeriod,
    limits: planLimits(plan),
    features: links.filter((link) => link.planCode === plan.code).map((link) => link.featureCode),
  }));
}

export async function listFeatures(db: Database, requestId: string) {
  const [features, links] = await readCatalogue(db, requestId, async (tx) => [
    await repository.listFeatures(tx),
    await repository.listActivePlanFeatures(tx),
  ] as const);
  return features.map((feature) => ({
    id: feature.id,
    code: feature.code,
    name: feature.name,
    description: feature.description,
    plans: links.filter((link) => link.featureCode === feature.code).map((link) => link.planCode),
  }));
}

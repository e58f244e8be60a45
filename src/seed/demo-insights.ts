import type { DemoProject } from './content/projects.js';
import type { OrganizationSeed } from './context.js';
import { leadOf, projectHistory } from './demo-work.js';
import { jsonb } from './writer.js';

const SPRINT_DAYS = 14;
/** How much longer than the median the 80th and 95th percentile forecasts run, from the spread of past sprints. */
const PERCENTILE_FACTORS = { p50: 1, p80: 1.3, p95: 1.6 } as const;

/** Seed 001's analysis: gaps with their root causes, and forecasts from each project's own history. */
export async function seedInsights(seed: OrganizationSeed): Promise<void> {
  for (const project of seed.organization.projects) {
    await seed.writer.actAs(seed.user(leadOf(project)));
    await seedGaps(seed, project);
    await seedPredictions(seed, project);
  }
}

async function seedGaps(seed: OrganizationSeed, project: DemoProject): Promise<void> {
  const { clock } = seed;
  await seed.writer.insert(
    'gaps',
    project.gaps.map((gap, index) => ({
      organization_id: seed.id,
      id: seed.rowId('gap', project.key, index),
      project_id: seed.rowId('project', project.key),
      title: gap.title,
      description: `${gap.title}. Raised during the ${project.key} Sprint 1 review.`,
      gap_type: gap.gapType,
      severity: gap.severity,
      status: gap.status,
      root_cause_analysis: jsonb({
        method: 'five_whys',
        rootCauses: gap.rootCauses,
        contributingFactors: [`${project.name} is staffed for ${project.epics.length} parallel epics`],
        evidence: [`${project.key} Sprint 1 retrospective`],
      }),
      impact: gap.impact,
      recommendations: jsonb(gap.recommendations.map((action, rank) => ({ rank: rank + 1, action, effort: rank === 0 ? 'low' : 'medium' }))),
      identified_by_id: seed.user(index === 0 ? 'admin' : 'consultant'),
      resolved_at: gap.status === 'resolved' ? clock.at(-4, 15) : null,
      created_at: clock.at(-12 + index * 3, 9),
    })),
  );
}

async function seedPredictions(seed: OrganizationSeed, project: DemoProject): Promise<void> {
  const { clock } = seed;
  const { velocity, remainingPoints, openTasks } = projectHistory(project);
  const sprintsLeft = remainingPoints / Math.max(velocity, 1);
  const deliveryIn = (factor: number) => Math.ceil(sprintsLeft * factor) * SPRINT_DAYS;
  const inputSummary = { velocityHistory: [velocity], completedSprints: 1, remainingPoints, openTasks, simulations: 10_000 };
  const base = {
    organization_id: seed.id,
    project_id: seed.rowId('project', project.key),
    input_summary: jsonb(inputSummary),
    valid_until: clock.at(7, 0),
    created_by_id: seed.user(leadOf(project)),
  };
  const criticalGaps = project.gaps.filter((gap) => gap.severity === 'high' || gap.severity === 'critical');

  await seed.writer.insert('predictions', [
    {
      ...base,
      id: seed.rowId('prediction', project.key, 'delivery_date'),
      prediction_type: 'delivery_date',
      method: 'monte_carlo',
      confidence: '0.8000',
      result: jsonb({
        p50: clock.date(deliveryIn(PERCENTILE_FACTORS.p50)),
        p80: clock.date(deliveryIn(PERCENTILE_FACTORS.p80)),
        p95: clock.date(deliveryIn(PERCENTILE_FACTORS.p95)),
        sprintsLeft: Number(sprintsLeft.toFixed(2)),
      }),
    },
    {
      ...base,
      id: seed.rowId('prediction', project.key, 'velocity'),
      prediction_type: 'velocity',
      method: 'rolling_average',
      confidence: '0.6500',
      // Percentiles of "at least this many points": the 95% case is the cautious one.
      result: jsonb({
        p50: velocity,
        p80: Math.floor(velocity / PERCENTILE_FACTORS.p80),
        p95: Math.floor(velocity / PERCENTILE_FACTORS.p95),
        unit: 'story_points_per_sprint',
      }),
    },
    {
      ...base,
      id: seed.rowId('prediction', project.key, 'risk'),
      prediction_type: 'risk',
      method: 'gap_weighted',
      confidence: '0.7000',
      result: jsonb({
        level: criticalGaps.length > 1 ? 'high' : criticalGaps.length === 1 ? 'medium' : 'low',
        drivers: criticalGaps.map((gap) => gap.title),
      }),
    },
  ]);
}

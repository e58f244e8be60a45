import { seedId } from './ids.js';
import { type SeedWriter, jsonb } from './writer.js';

const GIB = 1024 ** 3;

type Plan = {
  code: string;
  name: string;
  description: string;
  priceCents: number;
  billingPeriod: 'monthly' | 'yearly';
  /** NULL limits mean unlimited. */
  limits: { members: number | null; projects: number | null; tasks: number | null; storageBytes: number | null; aiTokensPerMonth: number | null };
  features: string[];
};

export const FEATURES = [
  { code: 'ai_assistant', name: 'AI assistant', description: 'Generate PRDs, stories and analyses with the configured AI providers.' },
  { code: 'integrations', name: 'Integrations', description: 'Connect GitHub, Jira, Slack and other tools.' },
  { code: 'advanced_reports', name: 'Advanced reports', description: 'Velocity, burndown, gap analysis and delivery forecasts.' },
  { code: 'custom_templates', name: 'Custom templates', description: 'Organization-wide project, document and prompt templates.' },
  { code: 'sso', name: 'Single sign-on', description: 'SAML and OIDC sign-in for the whole organization.' },
  { code: 'audit_export', name: 'Audit export', description: 'Export the audit trail for compliance reviews.' },
  { code: 'priority_support', name: 'Priority support', description: 'A response from a human within one business day.' },
] as const;

export const PLANS: Plan[] = [
  {
    code: 'free',
    name: 'Free',
    description: 'For trying Tenantry out with a small team.',
    priceCents: 0,
    billingPeriod: 'monthly',
    limits: { members: 5, projects: 3, tasks: 500, storageBytes: 1 * GIB, aiTokensPerMonth: 50_000 },
    features: ['ai_assistant'],
  },
  {
    code: 'pro',
    name: 'Pro',
    description: 'For growing teams that plan in sprints and automate with AI.',
    priceCents: 2_900,
    billingPeriod: 'monthly',
    limits: { members: 50, projects: 50, tasks: 50_000, storageBytes: 100 * GIB, aiTokensPerMonth: 2_000_000 },
    features: ['ai_assistant', 'integrations', 'advanced_reports', 'custom_templates'],
  },
  {
    code: 'enterprise',
    name: 'Enterprise',
    description: 'Unlimited everything, single sign-on and an exportable audit trail.',
    priceCents: 99_000,
    billingPeriod: 'yearly',
    limits: { members: null, projects: null, tasks: null, storageBytes: null, aiTokensPerMonth: null },
    features: FEATURES.map((feature) => feature.code),
  },
];

const PUBLIC_TEMPLATES = [
  {
    name: 'Scrum project',
    category: 'project',
    description: 'Two-week sprints, a backlog and the usual ceremonies.',
    content: { sprintLengthDays: 14, statuses: ['todo', 'in_progress', 'in_review', 'done'], epics: ['Foundations', 'First release'] },
  },
  {
    name: 'Product requirements document',
    category: 'document',
    description: 'Problem, goals, non-goals, requirements and open questions.',
    content: {
      documentType: 'prd',
      markdown: '# {{title}}\n\n## Problem\n\n## Goals\n\n## Non-goals\n\n## Requirements\n\n## Open questions\n',
    },
  },
  {
    name: 'User story',
    category: 'story',
    description: 'A story with acceptance criteria in Given/When/Then form.',
    content: {
      type: 'story',
      title: 'As a {{persona}}, I want {{capability}} so that {{benefit}}',
      acceptanceCriteria: 'Given {{context}}\nWhen {{action}}\nThen {{outcome}}',
    },
  },
  {
    name: 'Sprint retrospective',
    category: 'prompt',
    description: 'Asks the AI assistant to summarise a finished sprint.',
    content: {
      system: 'You are a pragmatic agile coach.',
      prompt: 'Summarise sprint {{sprint}}: what went well, what did not, and three concrete actions.',
    },
  },
] as const;

/**
 * Plans, features and public templates: the catalogue every installation needs, production
 * included. Existing rows are left exactly as they are.
 */
export async function seedReferenceData(writer: SeedWriter): Promise<void> {
  await writer.insert(
    'features',
    FEATURES.map((feature) => ({ id: seedId('feature', feature.code), ...feature })),
  );
  await writer.insert(
    'subscription_plans',
    PLANS.map((plan) => ({
      id: seedId('plan', plan.code),
      code: plan.code,
      name: plan.name,
      description: plan.description,
      price_cents: plan.priceCents,
      currency: 'USD',
      billing_period: plan.billingPeriod,
      max_members: plan.limits.members,
      max_projects: plan.limits.projects,
      max_tasks: plan.limits.tasks,
      max_storage_bytes: plan.limits.storageBytes,
      max_ai_tokens_per_month: plan.limits.aiTokensPerMonth,
    })),
  );
  // Joined by code, not by seed id, so a plan or feature created by hand before the seed still gets its links.
  for (const plan of PLANS) {
    const linked = await writer.session.query(
      `insert into plan_features (plan_id, feature_id)
       select p.id, f.id from subscription_plans p cross join features f
        where p.code = $1 and f.code = any($2::text[])
       on conflict do nothing
       returning 1`,
      [plan.code, plan.features],
    );
    writer.count('plan_features', linked.length);
  }
  await writer.insert(
    'public_templates',
    PUBLIC_TEMPLATES.map((template) => ({
      id: seedId('template', 'public', template.name),
      name: template.name,
      description: template.description,
      category: template.category,
      content: jsonb(template.content),
    })),
  );
}

/** The id of the plan with `code`, whoever created it. */
export async function planIdByCode(writer: SeedWriter, code: string): Promise<string> {
  const [plan] = await writer.session.query<{ id: string }>('select id from subscription_plans where code = $1', [code]);
  if (!plan) throw new Error(`subscription plan "${code}" is missing; the reference data should have created it`);
  return plan.id;
}

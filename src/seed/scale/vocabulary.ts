import type { Random } from './random.js';

/**
 * Words for the scale seed's text: enough variety that full-text search finds a realistic
 * spread (common words in many rows, rarer ones in few), none of it meaningful.
 */

export const FIRST_NAMES = [
  'Ada', 'Ben', 'Chloe', 'Dmitri', 'Elena', 'Farah', 'Gustav', 'Hana', 'Ivan', 'Jonas', 'Kemal', 'Lina',
  'Mateo', 'Nora', 'Omar', 'Priya', 'Quentin', 'Rosa', 'Sven', 'Tomoko', 'Umar', 'Vera', 'Wei', 'Ximena',
  'Yusuf', 'Zoe', 'Amara', 'Bruno', 'Carmen', 'Diego', 'Eva', 'Felix', 'Grace', 'Hugo', 'Ines', 'Jamal',
  'Kai', 'Leila', 'Marco', 'Nadia', 'Oscar', 'Paula', 'Rafael', 'Sara', 'Theo', 'Uma', 'Victor', 'Wanda',
] as const;

export const LAST_NAMES = [
  'Abbott', 'Becker', 'Costa', 'Dubois', 'Eriksen', 'Fischer', 'Garcia', 'Hughes', 'Ito', 'Jensen', 'Kowalski',
  'Larsen', 'Moreau', 'Nakamura', 'Okafor', 'Petrov', 'Quinn', 'Rossi', 'Schmidt', 'Tanaka', 'Usman', 'Varga',
  'Weber', 'Xu', 'Yilmaz', 'Zimmer', 'Alvarez', 'Brennan', 'Chen', 'Dlamini', 'Evans', 'Fontaine', 'Gupta',
  'Haddad', 'Ivanova', 'Johansson', 'Kim', 'Lopez', 'Murphy', 'Novak', 'Olsen', 'Park', 'Reyes', 'Singh',
] as const;

const COMPANY_STEMS = [
  'North', 'Blue', 'Bright', 'Silver', 'Iron', 'Red', 'Green', 'Summit', 'Harbor', 'Pine', 'Cedar', 'Stone',
  'Swift', 'Clear', 'Quantum', 'Apex', 'Nova', 'Lumen', 'Vertex', 'Atlas', 'Oak', 'River', 'Sun', 'Frost',
] as const;
const COMPANY_ENDINGS = ['wind', 'field', 'water', 'ridge', 'works', 'labs', 'forge', 'point', 'gate', 'line', 'path', 'stack'] as const;
const COMPANY_KINDS = [
  'Logistics', 'Analytics', 'Robotics', 'Health', 'Systems', 'Software', 'Studios', 'Partners', 'Foods', 'Energy',
  'Finance', 'Media', 'Retail', 'Bio', 'Networks', 'Mobility', 'Insurance', 'Learning',
] as const;

const CODENAMES = [
  'Atlas', 'Beacon', 'Comet', 'Delta', 'Ember', 'Falcon', 'Galaxy', 'Harbor', 'Iris', 'Jade', 'Kestrel', 'Lotus',
  'Meteor', 'Nimbus', 'Orion', 'Phoenix', 'Quartz', 'Raven', 'Sierra', 'Titan', 'Umbra', 'Vega', 'Willow',
  'Xenon', 'Yukon', 'Zephyr',
] as const;
const AREAS = [
  'Web', 'Mobile', 'Platform', 'Billing', 'Search', 'Data', 'Infra', 'Growth', 'Onboarding', 'Payments',
  'Analytics', 'Support', 'Security', 'API', 'Design System', 'Integrations', 'Reporting', 'Marketplace',
] as const;

/** Things work is about; each is a phrase a search might look for. */
const SUBJECTS = [
  'checkout flow', 'invoice export', 'search index', 'login page', 'password reset', 'notification emails',
  'billing webhook', 'dashboard charts', 'avatar upload', 'API rate limiter', 'audit trail', 'CSV import',
  'sprint board', 'mobile navigation', 'dark mode', 'onboarding checklist', 'permissions matrix',
  'report scheduler', 'file attachments', 'SSO callback', 'session timeout', 'data retention job',
  'payment retries', 'translation strings', 'release pipeline', 'database migrations', 'cache invalidation',
  'webhook signatures', 'analytics events', 'pricing page', 'customer portal', 'inventory sync',
  'shipping labels', 'tax calculation', 'timezone handling', 'error pages', 'feature flags', 'backup restore',
  'access logs', 'comment threads', 'kanban filters', 'calendar view', 'PDF rendering', 'image thumbnails',
  'keyboard shortcuts', 'accessibility labels', 'push notifications', 'OAuth tokens', 'GraphQL schema',
  'health checks', 'Kubernetes manifests', 'Terraform modules', 'CI cache', 'end-to-end tests',
  'settings page', 'team invitations', 'usage quotas', 'search autocomplete', 'order history',
  'refund workflow', 'subscription renewal', 'product catalog', 'warehouse scanner', 'route planner',
  'patient intake form', 'loan application', 'course enrollment', 'media transcoder', 'loyalty points',
] as const;

const BUG_VERBS = ['Fix', 'Investigate', 'Resolve', 'Debug', 'Patch'] as const;
const TASK_VERBS = [
  'Add', 'Implement', 'Update', 'Refactor', 'Migrate', 'Document', 'Remove', 'Optimize', 'Review',
  'Configure', 'Design', 'Test', 'Localize', 'Instrument', 'Simplify',
] as const;
const CHORE_VERBS = ['Upgrade', 'Clean up', 'Rotate keys for', 'Archive', 'Automate', 'Bump dependencies of'] as const;
const PROBLEMS = [
  'flaky', 'slow', 'broken', 'missing', 'duplicated', 'stale', 'incorrect', 'intermittent', 'truncated',
  'misaligned', 'timing out', 'leaking memory in',
] as const;
const CONTEXTS = [
  'on Safari', 'for enterprise tenants', 'in the admin console', 'after the last release', 'on slow networks',
  'for large accounts', 'behind the feature flag', 'in the mobile app', 'during peak load', 'in the EU region',
  'for new users', 'on Android', 'in the nightly batch', 'for archived projects',
] as const;
const PERSONAS = ['project manager', 'developer', 'support agent', 'team lead', 'new user', 'admin', 'customer', 'auditor', 'designer'] as const;
const BENEFITS = [
  'I save time every week', 'nothing falls through the cracks', 'I can answer customers faster',
  'the team sees the same numbers', 'I stay compliant', 'I can plan the next sprint', 'mistakes are caught early',
] as const;

/** Extra domain words so descriptions and documents carry a broad vocabulary. */
const TERMS = [
  'latency', 'throughput', 'regression', 'rollback', 'idempotency', 'pagination', 'encryption', 'tenant',
  'migration', 'schema', 'index', 'replica', 'failover', 'backpressure', 'retry', 'timeout', 'quota',
  'throttling', 'observability', 'tracing', 'metrics', 'alerting', 'dashboard', 'runbook', 'incident',
  'postmortem', 'deadline', 'milestone', 'roadmap', 'stakeholder', 'compliance', 'GDPR', 'SOC2', 'invoice',
  'currency', 'rounding', 'locale', 'unicode', 'accessibility', 'contrast', 'keyboard', 'screenreader',
  'onboarding', 'churn', 'conversion', 'funnel', 'experiment', 'cohort', 'retention', 'webhook', 'token',
  'certificate', 'sandbox', 'staging', 'production', 'canary', 'deployment', 'container', 'cluster', 'queue',
  'worker', 'scheduler', 'cron', 'snapshot', 'checksum', 'deduplication', 'normalization', 'validation',
  'serialization', 'compression', 'thumbnail', 'upload', 'download', 'export', 'import', 'sync', 'offline',
  'cache', 'eviction', 'consistency', 'transaction', 'deadlock', 'lock', 'partition', 'shard', 'vacuum',
] as const;

const DESCRIPTION_SENTENCES: readonly ((r: Random) => string)[] = [
  (r) => `Customers report that the ${r.pick(SUBJECTS)} is ${r.pick(PROBLEMS)} ${r.pick(CONTEXTS)}.`,
  (r) => `We need the ${r.pick(SUBJECTS)} to work with the ${r.pick(SUBJECTS)} before the next ${r.pick(['release', 'milestone', 'audit', 'launch'])}.`,
  (r) => `Steps to reproduce: open the ${r.pick(SUBJECTS)}, change the ${r.pick(TERMS)} setting and reload.`,
  (r) => `Expected the ${r.pick(TERMS)} to stay stable; instead we see ${r.pick(TERMS)} spikes ${r.pick(CONTEXTS)}.`,
  (r) => `This blocks the ${r.pick(SUBJECTS)} work planned for Q${r.int(1, 4)}.`,
  (r) => `Related: ${r.pick(TERMS)}, ${r.pick(TERMS)} and ${r.pick(TERMS)}.`,
  (r) => `Keep an eye on ${r.pick(TERMS)} and ${r.pick(TERMS)} while changing the ${r.pick(SUBJECTS)}.`,
  (r) => `Owner of the ${r.pick(AREAS)} area signed off on the approach.`,
  (r) => `Measure ${r.pick(TERMS)} before and after; the last ${r.pick(TERMS)} review flagged it.`,
];

const COMMENT_SENTENCES: readonly ((r: Random) => string)[] = [
  () => 'Reproduced on staging.',
  (r) => `I think this is related to the ${r.pick(SUBJECTS)}.`,
  () => 'Pushed a fix, please review.',
  () => 'Can we split this into smaller tasks?',
  (r) => `Blocked on the ${r.pick(SUBJECTS)} change.`,
  () => 'Moved to the next sprint.',
  () => 'Looks good to me.',
  (r) => `Checked the ${r.pick(TERMS)} numbers, they look fine now.`,
  (r) => `The customer confirmed it works ${r.pick(CONTEXTS)}.`,
  (r) => `Added a test for the ${r.pick(TERMS)} case.`,
  () => 'Who owns this one?',
  (r) => `Deployed to production behind the ${r.pick(TERMS)} flag.`,
];

export function personName(random: Random): { first: string; last: string } {
  return { first: random.pick(FIRST_NAMES), last: random.pick(LAST_NAMES) };
}

export function companyName(random: Random): string {
  return `${random.pick(COMPANY_STEMS)}${random.pick(COMPANY_ENDINGS)} ${random.pick(COMPANY_KINDS)}`;
}

export function projectName(random: Random): { codename: string; area: string } {
  return { codename: random.pick(CODENAMES), area: random.pick(AREAS) };
}

export type TaskType = 'task' | 'story' | 'bug' | 'chore';

export function taskTitle(random: Random, type: TaskType): string {
  switch (type) {
    case 'bug':
      return `${random.pick(BUG_VERBS)} ${random.pick(PROBLEMS)} ${random.pick(SUBJECTS)} ${random.pick(CONTEXTS)}`;
    case 'story':
      return `As a ${random.pick(PERSONAS)}, I want a better ${random.pick(SUBJECTS)} so that ${random.pick(BENEFITS)}`;
    case 'chore':
      return `${random.pick(CHORE_VERBS)} the ${random.pick(SUBJECTS)}`;
    case 'task':
      return random.chance(0.5)
        ? `${random.pick(TASK_VERBS)} the ${random.pick(SUBJECTS)}`
        : `${random.pick(TASK_VERBS)} the ${random.pick(SUBJECTS)} ${random.pick(CONTEXTS)}`;
  }
}

/** One to `max` sentences drawn from `sentences`, joined by spaces. */
function sentences(random: Random, pool: readonly ((r: Random) => string)[], min: number, max: number): string {
  const parts: string[] = [];
  for (let i = random.int(min, max); i > 0; i--) parts.push(random.pick(pool)(random));
  return parts.join(' ');
}

export function taskDescription(random: Random): string {
  return sentences(random, DESCRIPTION_SENTENCES, 1, 4);
}

export function acceptanceCriteria(random: Random): string {
  return (
    `Given a ${random.pick(PERSONAS)} on the ${random.pick(SUBJECTS)}\n` +
    `When they change the ${random.pick(TERMS)}\n` +
    `Then the ${random.pick(SUBJECTS)} shows it ${random.pick(CONTEXTS)}`
  );
}

export function commentBody(random: Random): string {
  return sentences(random, COMMENT_SENTENCES, 1, 3);
}

export function epicTitle(random: Random): string {
  return `${random.pick(['Rebuild', 'Launch', 'Harden', 'Speed up', 'Simplify', 'Scale'])} the ${random.pick(SUBJECTS)}`;
}

export function sprintGoal(random: Random): string {
  return `Ship the ${random.pick(SUBJECTS)} and reduce ${random.pick(TERMS)}.`;
}

export type DocumentType = 'prd' | 'spec' | 'design' | 'note' | 'knowledge' | 'other';

export function documentTitle(random: Random, type: DocumentType): string {
  const subject = random.pick(SUBJECTS);
  const capitalized = subject.charAt(0).toUpperCase() + subject.slice(1);
  switch (type) {
    case 'prd':
      return `PRD: ${capitalized}`;
    case 'spec':
      return `${capitalized} technical spec`;
    case 'design':
      return `${capitalized} design review`;
    case 'note':
      return `Meeting notes: ${subject}`;
    case 'knowledge':
      return `How the ${subject} works`;
    case 'other':
      return `${capitalized} FAQ`;
  }
}

/** A markdown document of a few sections, 150 to 700 words. */
export function documentContent(random: Random, title: string): string {
  const sections = ['Context', 'Goals', 'Proposal', 'Risks', 'Open questions', 'Decisions'];
  const parts = [`# ${title}`];
  for (const heading of random.sample(sections, random.int(2, 5))) {
    parts.push(`## ${heading}`, sentences(random, DESCRIPTION_SENTENCES, 2, 7));
  }
  return parts.join('\n\n');
}

/** Lower-case words joined by dashes, for slugs. */
export function slugify(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60);
}

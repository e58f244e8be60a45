import { createHash } from 'node:crypto';
import { ACME_PEOPLE, CONSULTANT, type DemoPerson, GLOBEX_PEOPLE, MEMBER_ROLES, type MemberRole } from './people.js';
import { ACME_PROJECTS, type DemoProject, GLOBEX_PROJECTS, type Slot } from './projects.js';

export type DemoAiProvider = {
  name: string;
  provider: 'openai' | 'anthropic' | 'ollama';
  defaultModel: string;
  baseUrl: string | null;
  /** Whether a (fake) API key is stored; a local Ollama needs none. */
  hasKey: boolean;
  isDefault: boolean;
  status: 'active' | 'disabled';
};

export type DemoIntegration = {
  type: 'github' | 'slack' | 'jira';
  name: string;
  config: Record<string, unknown>;
  status: 'pending' | 'active' | 'error' | 'disabled';
  lastError: string | null;
};

export type DemoOrganization = {
  slug: string;
  name: string;
  domain: string;
  plan: 'pro' | 'enterprise';
  subscriptionStatus: 'active' | 'trialing';
  seats: number;
  settings: Record<string, unknown>;
  people: Record<MemberRole, DemoPerson>;
  /** The consultant's role here; it differs between the two organizations on purpose. */
  consultantRole: MemberRole;
  invitations: { email: string; role: MemberRole; status: 'pending' | 'accepted' | 'expired'; inviter: Slot }[];
  projects: DemoProject[];
  aiProviders: DemoAiProvider[];
  integrations: DemoIntegration[];
  template: { name: string; description: string; category: 'document' | 'project'; content: Record<string, unknown> };
};

export const DEMO_ORGANIZATIONS: DemoOrganization[] = [
  {
    slug: 'acme',
    name: 'Acme Robotics',
    domain: 'acme.example',
    plan: 'pro',
    subscriptionStatus: 'active',
    seats: 10,
    settings: {
      timezone: 'Europe/Berlin',
      locale: 'en-GB',
      defaultMemberRole: 'member',
      features: { ai_assistant: true, integrations: true },
      security: { requireTwoFactor: false, allowedEmailDomains: ['acme.example'] },
      ai: { enabled: true, monthlyTokenBudget: 1_500_000 },
    },
    people: ACME_PEOPLE,
    consultantRole: 'member',
    invitations: [
      { email: 'new.hire@acme.example', role: 'member', status: 'pending', inviter: 'admin' },
      { email: 'auditor@external.example', role: 'viewer', status: 'expired', inviter: 'owner' },
    ],
    projects: ACME_PROJECTS,
    aiProviders: [
      { name: 'OpenAI', provider: 'openai', defaultModel: 'gpt-4o', baseUrl: null, hasKey: true, isDefault: true, status: 'active' },
      { name: 'Workshop Ollama', provider: 'ollama', defaultModel: 'llama3.1:8b', baseUrl: 'http://ollama.acme.internal:11434', hasKey: false, isDefault: false, status: 'active' },
    ],
    integrations: [
      { type: 'github', name: 'acme-robotics', config: { organization: 'acme-robotics', repositories: ['fleet-firmware', 'customer-portal'] }, status: 'active', lastError: null },
      { type: 'slack', name: 'Acme workspace', config: { channel: '#fleet-updates', notifyOn: ['task.done', 'sprint.completed'] }, status: 'active', lastError: null },
    ],
    template: {
      name: 'Firmware release checklist',
      description: 'The steps every AR-7 firmware release goes through.',
      category: 'document',
      content: { documentType: 'spec', markdown: '# Firmware {{version}}\n\n- [ ] Signed build\n- [ ] Test rig smoke test\n- [ ] Wave 1 (5 robots)\n- [ ] Full fleet\n' },
    },
  },
  {
    slug: 'globex',
    name: 'Globex Labs',
    domain: 'globex.example',
    plan: 'enterprise',
    subscriptionStatus: 'trialing',
    seats: 25,
    settings: {
      timezone: 'America/Los_Angeles',
      locale: 'en-US',
      defaultMemberRole: 'viewer',
      features: { ai_assistant: true, sso: true, audit_export: true },
      security: { requireTwoFactor: true, allowedEmailDomains: ['globex.example', 'consulting.example'] },
      ai: { enabled: true, monthlyTokenBudget: 5_000_000 },
    },
    people: GLOBEX_PEOPLE,
    consultantRole: 'admin',
    invitations: [
      { email: 'postdoc@globex.example', role: 'member', status: 'pending', inviter: 'admin' },
      { email: 'partner.lab@partner.example', role: 'viewer', status: 'accepted', inviter: 'consultant' },
    ],
    projects: GLOBEX_PROJECTS,
    aiProviders: [
      { name: 'Anthropic', provider: 'anthropic', defaultModel: 'claude-sonnet-4', baseUrl: null, hasKey: true, isDefault: true, status: 'active' },
      { name: 'OpenAI (legacy)', provider: 'openai', defaultModel: 'gpt-4o-mini', baseUrl: null, hasKey: true, isDefault: false, status: 'disabled' },
    ],
    integrations: [
      { type: 'jira', name: 'Globex Jira', config: { site: 'globex.atlassian.example', projectKeys: ['LAB'] }, status: 'error', lastError: 'Jira answered 401: the API token was revoked' },
      { type: 'github', name: 'globex-labs', config: { organization: 'globex-labs', repositories: ['lab-notebook'] }, status: 'active', lastError: null },
    ],
    template: {
      name: 'Experiment PRD',
      description: 'Requirements for a new experiment type in the lab notebook.',
      category: 'project',
      content: { sprintLengthDays: 14, epics: ['Protocol', 'Instrument data', 'Sign-off'] },
    },
  },
];

/** The person filling `slot` in `organization`. */
export function personIn(organization: DemoOrganization, slot: Slot): DemoPerson {
  return slot === 'consultant' ? CONSULTANT : organization.people[slot];
}

/** Every membership of `organization`: its four role holders and the consultant. */
export function membershipsOf(organization: DemoOrganization): { slot: Slot; person: DemoPerson; role: MemberRole }[] {
  const holders = MEMBER_ROLES.map((role) => ({ slot: role, person: organization.people[role], role }));
  return [...holders, { slot: 'consultant', person: CONSULTANT, role: organization.consultantRole }];
}

/**
 * The fake API key stored (encrypted) for a demo AI provider. Deterministic, so tests know what
 * to look for, and long enough that its hint shows only the last four characters.
 */
export function demoApiKey(organizationSlug: string, providerName: string): string {
  const prefix = providerName.startsWith('Anthropic') ? 'sk-ant-demo-' : 'sk-demo-';
  return `${prefix}${fakeSecret(`ai:${organizationSlug}:${providerName}`)}`;
}

/** The fake credentials stored (encrypted) for a demo integration. */
export function demoIntegrationCredentials(organizationSlug: string, integration: Pick<DemoIntegration, 'type' | 'name'>): Record<string, string> {
  const secret = fakeSecret(`integration:${organizationSlug}:${integration.type}:${integration.name}`);
  switch (integration.type) {
    case 'github':
      return { token: `ghp_demo${secret}` };
    case 'slack':
      return { botToken: `xoxb-demo-${secret}`, signingSecret: fakeSecret(`slack-signing:${organizationSlug}`) };
    case 'jira':
      return { email: `integrations@${organizationSlug}.example`, apiToken: `jira-demo-${secret}` };
  }
}

function fakeSecret(name: string): string {
  return createHash('sha256').update(`tenantry-demo:${name}`).digest('hex').slice(0, 32);
}

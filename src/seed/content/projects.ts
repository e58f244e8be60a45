/** Who in the organization a row belongs to: the four role holders and the shared consultant. */
export const SLOTS = ['owner', 'admin', 'member', 'viewer', 'consultant'] as const;
export type Slot = (typeof SLOTS)[number];
export type ProjectRole = 'lead' | 'contributor' | 'viewer' | 'stakeholder';
export type TaskType = 'task' | 'story' | 'bug' | 'chore';

export type DemoGap = {
  title: string;
  gapType: 'resource' | 'skill' | 'process' | 'technology' | 'communication' | 'timeline' | 'budget' | 'quality';
  severity: 'low' | 'medium' | 'high' | 'critical';
  status: 'identified' | 'analyzing' | 'in_progress' | 'resolved' | 'accepted';
  impact: string;
  rootCauses: string[];
  recommendations: string[];
};

export type DemoProject = {
  key: string;
  name: string;
  description: string;
  status: 'planning' | 'active' | 'on_hold' | 'completed';
  /** Every project role is held by someone, so role checks have a case for each. */
  team: Record<Slot, ProjectRole>;
  epics: [string, string];
  /** Goals of the completed, the active and the planned sprint. */
  sprintGoals: [string, string, string];
  /** Eighteen work items; demo-work.ts gives them statuses, priorities, sprints and people by position. */
  tasks: [TaskType, string][];
  gaps: [DemoGap, DemoGap];
  /** One AI conversation: user, assistant, user, assistant. */
  conversation: [string, string, string, string];
};

export const ACME_PROJECTS: DemoProject[] = [
  {
    key: 'ACME',
    name: 'Fleet Control',
    description: 'Firmware and fleet management for the AR-7 warehouse robots: navigation, charging and remote updates.',
    status: 'active',
    team: { owner: 'lead', admin: 'contributor', member: 'contributor', consultant: 'stakeholder', viewer: 'viewer' },
    epics: ['Autonomous docking', 'Over-the-air updates'],
    sprintGoals: ['Robots find the charger on their own', 'Signed firmware updates reach a test fleet', 'Roll updates out in waves'],
    tasks: [
      ['task', 'Calibrate lidar on the AR-7 test rig'],
      ['story', 'As an operator, I want robots to dock when the battery drops below 20%'],
      ['bug', 'Robot stalls at aisle intersections after a map reload'],
      ['chore', 'Upgrade the firmware toolchain to GCC 13'],
      ['task', 'Record charging-station approach telemetry'],
      ['story', 'As an operator, I want to push a firmware update to one robot from the console'],
      ['bug', 'Battery percentage jumps from 40% to 10% under load'],
      ['chore', 'Rotate the firmware signing certificate'],
      ['task', 'Write the delta-update packer'],
      ['story', 'As a fleet manager, I want to see which firmware each robot runs'],
      ['bug', 'Update download restarts from zero after a Wi-Fi drop'],
      ['chore', 'Remove the legacy serial debug console'],
      ['task', 'Define update waves by warehouse zone'],
      ['story', 'As a fleet manager, I want an update to pause when error rates rise'],
      ['bug', 'Docking LED stays red after a successful charge'],
      ['chore', 'Archive 2023 telemetry to cold storage'],
      ['task', 'Prototype obstacle avoidance with the new depth camera'],
      ['story', 'As a technician, I want a robot health report I can export as PDF'],
    ],
    gaps: [
      {
        title: 'No hardware-in-the-loop test capacity for update rollouts',
        gapType: 'resource',
        severity: 'high',
        status: 'analyzing',
        impact: 'Each firmware release waits up to four days for the single shared test rig.',
        rootCauses: ['Only one AR-7 test rig exists', 'Rig bookings are manual and often overrun', 'Nightly builds are not flashed automatically'],
        recommendations: ['Buy two more test rigs', 'Automate nightly flashing and smoke tests', 'Publish a rig booking calendar'],
      },
      {
        title: 'Firmware reviews depend on one engineer',
        gapType: 'skill',
        severity: 'medium',
        status: 'in_progress',
        impact: 'Reviews of motor-control changes stall when Chloe is away.',
        rootCauses: ['Motor-control knowledge is undocumented', 'No pairing on firmware changes'],
        recommendations: ['Pair on every motor-control change for two sprints', 'Write a motor-control primer in the knowledge base'],
      },
    ],
    conversation: [
      'Draft acceptance criteria for the automatic docking story.',
      'Given a robot whose battery falls below 20%\nWhen it finishes its current pick\nThen it drives to the nearest free charger and docks within 90 seconds.',
      'Add a case for when every charger is busy.',
      'Given every charger is busy\nWhen a robot needs to charge\nThen it parks in the nearest waiting bay and joins the charger queue.',
    ],
  },
  {
    key: 'WEB',
    name: 'Customer Portal',
    description: 'The web portal where warehouse customers follow their fleet, open tickets and download reports.',
    status: 'active',
    team: { admin: 'lead', member: 'contributor', consultant: 'contributor', owner: 'stakeholder', viewer: 'viewer' },
    epics: ['Self-service tickets', 'Fleet dashboard'],
    sprintGoals: ['Customers sign in with their company account', 'Customers open and follow support tickets', 'A live fleet dashboard'],
    tasks: [
      ['task', 'Set up the portal design system tokens'],
      ['story', 'As a customer, I want to sign in with my company Google account'],
      ['bug', 'Password reset e-mail links expire immediately'],
      ['chore', 'Move the portal build to Vite'],
      ['task', 'Add the ticket list page'],
      ['story', 'As a customer, I want to attach photos to a support ticket'],
      ['bug', 'Ticket timestamps show UTC instead of local time'],
      ['chore', 'Enable dependency update bot for the portal'],
      ['task', 'Wire ticket status webhooks to the portal'],
      ['story', 'As a customer, I want an e-mail when my ticket is answered'],
      ['bug', 'Dashboard map is blank in Safari'],
      ['chore', 'Add end-to-end tests to the CI pipeline'],
      ['task', 'Design the fleet dashboard layout'],
      ['story', 'As a customer, I want to see every robot on a live map'],
      ['bug', 'CSV export cuts names with accents'],
      ['chore', 'Document the portal release process'],
      ['task', 'Localise the portal into German'],
      ['story', 'As a customer, I want monthly uptime reports by e-mail'],
    ],
    gaps: [
      {
        title: 'No usability testing with real customers',
        gapType: 'process',
        severity: 'medium',
        status: 'identified',
        impact: 'Two shipped pages were redesigned after customer complaints.',
        rootCauses: ['Research is not part of the definition of ready', 'No pool of customers who agreed to test'],
        recommendations: ['Recruit five pilot customers', 'Add a research checkbox to the definition of ready'],
      },
      {
        title: 'Portal release dates slip by a week on average',
        gapType: 'timeline',
        severity: 'high',
        status: 'analyzing',
        impact: 'Customer commitments for the dashboard were missed twice.',
        rootCauses: ['Stories enter sprints without acceptance criteria', 'QA happens only in the last two days'],
        recommendations: ['Refuse stories without acceptance criteria at planning', 'Test each story as it reaches review'],
      },
    ],
    conversation: [
      'Summarise the open portal bugs by customer impact.',
      'Highest impact: password reset links expire at once (blocks sign-in). Then the blank dashboard map in Safari, then CSV exports that cut accented names.',
      'Which one should we fix first this sprint?',
      'Fix the password reset links first: every affected customer is locked out, and the fix is a one-line expiry change plus a test.',
    ],
  },
];

export const GLOBEX_PROJECTS: DemoProject[] = [
  {
    key: 'LAB',
    name: 'Lab Notebook',
    description: 'An electronic lab notebook: experiments, samples and instrument data with a signed audit trail.',
    status: 'active',
    team: { owner: 'lead', member: 'contributor', admin: 'contributor', consultant: 'stakeholder', viewer: 'viewer' },
    epics: ['Sample tracking', 'Instrument import'],
    sprintGoals: ['Scientists record experiments with templates', 'Samples carry barcodes end to end', 'Import from the plate reader'],
    tasks: [
      ['task', 'Model experiments, protocols and results'],
      ['story', 'As a scientist, I want to start an experiment from a protocol template'],
      ['bug', 'Units disappear when a result table is pasted'],
      ['chore', 'Upgrade PostgreSQL to 16 on staging'],
      ['task', 'Generate barcodes for new samples'],
      ['story', 'As a lab manager, I want to see where every sample is stored'],
      ['bug', 'Freezer location search ignores rack numbers'],
      ['chore', 'Migrate notebook attachments to object storage'],
      ['task', 'Parse the plate reader CSV format'],
      ['story', 'As a scientist, I want plate reader results attached to my experiment automatically'],
      ['bug', 'Signed entries can be edited through the API'],
      ['chore', 'Add retention rules for raw instrument files'],
      ['task', 'Build the sample lineage graph'],
      ['story', 'As an auditor, I want a PDF of an experiment with every signature'],
      ['bug', 'Experiment timeline sorts by update time, not by run time'],
      ['chore', 'Clean up unused protocol versions'],
      ['task', 'Spike: import from the mass spectrometer'],
      ['story', 'As a scientist, I want to compare two runs side by side'],
    ],
    gaps: [
      {
        title: 'Instrument vendors change export formats without notice',
        gapType: 'technology',
        severity: 'high',
        status: 'in_progress',
        impact: 'The plate reader import broke twice after firmware updates.',
        rootCauses: ['Parsers assume fixed column positions', 'No contract tests against sample exports'],
        recommendations: ['Parse by header names', 'Keep a library of vendor sample files and test against it'],
      },
      {
        title: 'Compliance requirements reach engineering late',
        gapType: 'communication',
        severity: 'critical',
        status: 'identified',
        impact: 'Signed entries were editable through the API for three weeks.',
        rootCauses: ['Compliance reviews happen after release', 'No compliance contact in sprint reviews'],
        recommendations: ['Invite compliance to sprint reviews', 'Add a 21 CFR Part 11 checklist to the definition of done'],
      },
    ],
    conversation: [
      'Write a PRD outline for plate reader import.',
      '# Plate reader import\n\n## Problem\nScientists copy results by hand.\n\n## Goals\nAttach results to the experiment within a minute of the run.\n\n## Non-goals\nOther instruments.',
      'What are the risks?',
      'Vendor format changes, large files over slow lab networks, and results attached to the wrong experiment when barcodes are missing.',
    ],
  },
  {
    key: 'API',
    name: 'Partner API',
    description: 'A public REST API so partner labs can submit samples and fetch results.',
    status: 'on_hold',
    team: { admin: 'lead', consultant: 'contributor', member: 'contributor', owner: 'stakeholder', viewer: 'viewer' },
    epics: ['Authentication and keys', 'Sample submission'],
    sprintGoals: ['Partners authenticate with API keys', 'Partners submit samples in bulk', 'Results webhooks'],
    tasks: [
      ['task', 'Write the OpenAPI description for sample submission'],
      ['story', 'As a partner, I want to create and revoke my own API keys'],
      ['bug', 'Rate limit headers are missing on 429 responses'],
      ['chore', 'Set up the API sandbox environment'],
      ['task', 'Implement keyset pagination for results'],
      ['story', 'As a partner, I want to submit 500 samples in one request'],
      ['bug', 'Bulk submission accepts duplicate barcodes'],
      ['chore', 'Publish the Postman collection'],
      ['task', 'Sign webhook payloads'],
      ['story', 'As a partner, I want a webhook when my results are ready'],
      ['bug', 'Webhook retries hammer partners that are down'],
      ['chore', 'Add contract tests for the public API'],
      ['task', 'Add idempotency keys to submission'],
      ['story', 'As a partner, I want to download results as CSV'],
      ['bug', 'Error bodies leak internal stack traces'],
      ['chore', 'Rotate sandbox credentials monthly'],
      ['task', 'Draft the partner terms of use'],
      ['story', 'As a partner, I want usage statistics for my keys'],
    ],
    gaps: [
      {
        title: 'Budget for the partner programme is not approved',
        gapType: 'budget',
        severity: 'high',
        status: 'accepted',
        impact: 'The project is on hold until the next budget round.',
        rootCauses: ['Revenue model for partner access is unclear', 'No pilot partner signed a letter of intent'],
        recommendations: ['Sign one pilot partner', 'Propose usage-based pricing to finance'],
      },
      {
        title: 'Public API error handling is inconsistent',
        gapType: 'quality',
        severity: 'medium',
        status: 'resolved',
        impact: 'Partners wrote special cases for three different error shapes.',
        rootCauses: ['Each endpoint formats its own errors', 'No shared error schema'],
        recommendations: ['One error schema for every endpoint', 'Lint responses against the OpenAPI description'],
      },
    ],
    conversation: [
      'Suggest rate limits for the partner API.',
      'Start with 600 requests per minute per key and 10 concurrent bulk submissions, with Retry-After on every 429.',
      'How do we tell partners before they hit the limit?',
      'Return RateLimit-Limit, RateLimit-Remaining and RateLimit-Reset headers on every response and e-mail the key owner at 80% of the daily quota.',
    ],
  },
];

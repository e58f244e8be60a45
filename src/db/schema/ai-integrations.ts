// Migration 0004: project files, AI usage (conversations, providers, generations),
// external integrations, and seed 001's gaps and predictions.
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  text,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { bytea, fk, timestamps, timestamptz, uniqueKey } from './common.js';
import { memberReference, tenantColumns, tenantKeys } from './organizations.js';
import { projects, tasks } from './work.js';

/** File metadata only; the bytes live in a blob store under storage_key. */
export const projectAssets = pgTable(
  'project_assets',
  {
    ...tenantColumns,
    projectId: uuid('project_id').notNull(),
    /** The task the file is attached to (migration 0013); null for a file of the project alone. */
    taskId: uuid('task_id'),
    uploadedById: uuid('uploaded_by_id'),
    fileName: text('file_name').notNull(),
    contentType: text('content_type').notNull(),
    sizeBytes: bigint('size_bytes', { mode: 'number' }).notNull(),
    /** Lower-case hex SHA-256 of the bytes. */
    checksumSha256: text('checksum_sha256').notNull(),
    storageKey: text('storage_key').notNull(),
    deletedAt: timestamptz('deleted_at'),
    ...timestamps,
  },
  (t) => [
    ...tenantKeys(t),
    uniqueKey(t.organizationId, t.storageKey),
    fk([t.organizationId, t.projectId], [projects.organizationId, projects.id], 'cascade'),
    memberReference(t.organizationId, t.uploadedById, 'no action'),
    index('project_assets_organization_id_project_id_idx').on(t.organizationId, t.projectId),
    index('project_assets_organization_id_uploaded_by_id_idx').on(t.organizationId, t.uploadedById),
    // A purged task takes its attachments with it (the purge removes their bytes).
    fk([t.organizationId, t.taskId], [tasks.organizationId, tasks.id], 'cascade'),
    index('project_assets_organization_id_task_id_idx').on(t.organizationId, t.taskId),
  ],
);

export const promptRoles = ['user', 'assistant', 'system'] as const;
export type PromptRole = (typeof promptRoles)[number];

/** AI conversation history (seed 002): one row per message. */
export const projectPrompts = pgTable(
  'project_prompts',
  {
    ...tenantColumns,
    projectId: uuid('project_id').notNull(),
    conversationId: uuid('conversation_id').notNull(),
    userId: uuid('user_id'),
    role: text('role', { enum: promptRoles }).notNull(),
    content: text('content').notNull(),
    provider: text('provider'),
    model: text('model'),
    tokens: integer('tokens'),
    metadata: jsonb('metadata').$type<Record<string, unknown>>().notNull().default({}),
    ...timestamps,
  },
  (t) => [
    ...tenantKeys(t),
    fk([t.organizationId, t.projectId], [projects.organizationId, projects.id], 'cascade'),
    memberReference(t.organizationId, t.userId, 'no action'),
    index('project_prompts_conversation_idx').on(t.organizationId, t.projectId, t.conversationId, t.createdAt),
    index('project_prompts_organization_id_user_id_idx').on(t.organizationId, t.userId),
  ],
);

export const aiProviderKinds = ['openai', 'anthropic', 'openai-compatible', 'ollama', 'azure_openai', 'google', 'other'] as const;
export type AiProviderKind = (typeof aiProviderKinds)[number];
export const aiProviderStatuses = ['active', 'disabled'] as const;
export type AiProviderStatus = (typeof aiProviderStatuses)[number];

export const aiProviders = pgTable(
  'ai_providers',
  {
    ...tenantColumns,
    provider: text('provider', { enum: aiProviderKinds }).notNull(),
    name: text('name').notNull(),
    defaultModel: text('default_model'),
    baseUrl: text('base_url'),
    /** Encrypted with the organization's data key. */
    apiKeyCiphertext: bytea('api_key_ciphertext'),
    /** What the UI shows instead of the key, e.g. its last four characters. */
    apiKeyHint: text('api_key_hint'),
    isDefault: boolean('is_default').notNull().default(false),
    status: text('status', { enum: aiProviderStatuses }).notNull().default('active'),
    createdById: uuid('created_by_id'),
    ...timestamps,
  },
  (t) => [
    ...tenantKeys(t),
    uniqueKey(t.organizationId, t.name),
    memberReference(t.organizationId, t.createdById, 'no action'),
    uniqueIndex('ai_providers_one_default_per_organization_idx').on(t.organizationId).where(sql`is_default`),
    index('ai_providers_organization_id_created_by_id_idx').on(t.organizationId, t.createdById),
  ],
);

export const generationTypes = ['prd', 'story', 'analysis', 'prediction', 'chat', 'summary', 'other'] as const;
/** What `POST …/ai/generate` was asked to make (migration 0025). */
export const generationTasks = ['stories', 'document', 'chat', 'sprint-summary'] as const;
export type GenerationTask = (typeof generationTasks)[number];
export const generationStatuses = ['reserved', 'succeeded', 'failed', 'canceled'] as const;
export type GenerationStatus = (typeof generationStatuses)[number];
export type GenerationType = (typeof generationTypes)[number];

/** AI usage records; they outlive the project, person and provider they mention. */
export const aiGenerations = pgTable(
  'ai_generations',
  {
    ...tenantColumns,
    projectId: uuid('project_id'),
    userId: uuid('user_id'),
    aiProviderId: uuid('ai_provider_id'),
    generationType: text('generation_type', { enum: generationTypes }).notNull(),
    provider: text('provider').notNull(),
    model: text('model').notNull(),
    prompt: text('prompt'),
    response: text('response'),
    promptTokens: integer('prompt_tokens').notNull().default(0),
    completionTokens: integer('completion_tokens').notNull().default(0),
    totalTokens: integer('total_tokens').notNull().default(0),
    /** numeric(12,6): read as a string to keep it exact. */
    cost: numeric('cost', { precision: 12, scale: 6 }).notNull().default('0'),
    latencyMs: integer('latency_ms'),
    metadata: jsonb('metadata').$type<Record<string, unknown>>().notNull().default({}),
    /** Migration 0025: set for generations the server made itself; null for recorded ones. */
    task: text('task', { enum: generationTasks }),
    status: text('status', { enum: generationStatuses }).notNull().default('succeeded'),
    /** Tokens held against the monthly budget while the call runs; 0 once settled. */
    reservedTokens: integer('reserved_tokens').notNull().default(0),
    /** The `ai_model_prices` version the cost was computed with; null when the model had no price. */
    priceVersion: integer('price_version'),
    /** The provider's error, in words, when the call failed. */
    error: text('error'),
    ...timestamps,
  },
  (t) => [
    ...tenantKeys(t),
    fk([t.organizationId, t.projectId], [projects.organizationId, projects.id], 'no action'),
    memberReference(t.organizationId, t.userId, 'no action'),
    fk([t.organizationId, t.aiProviderId], [aiProviders.organizationId, aiProviders.id], 'no action'),
    index('ai_generations_organization_id_created_at_idx').on(t.organizationId, t.createdAt),
    index('ai_generations_organization_id_project_id_idx').on(t.organizationId, t.projectId),
    index('ai_generations_organization_id_user_id_idx').on(t.organizationId, t.userId),
    index('ai_generations_organization_id_ai_provider_id_idx').on(t.organizationId, t.aiProviderId),
  ],
);

/**
 * Prices per model and million tokens (migration 0025). Rows are never changed: an edit adds
 * the next version, and each generation names the version it used.
 */
export const aiModelPrices = pgTable(
  'ai_model_prices',
  {
    ...tenantColumns,
    kind: text('kind', { enum: aiProviderKinds }).notNull(),
    model: text('model').notNull(),
    version: integer('version').notNull(),
    /** numeric(12,6) as exact text. */
    inputPerMillion: numeric('input_per_million', { precision: 12, scale: 6 }).notNull(),
    outputPerMillion: numeric('output_per_million', { precision: 12, scale: 6 }).notNull(),
    createdById: uuid('created_by_id'),
    ...timestamps,
  },
  (t) => [...tenantKeys(t), uniqueKey(t.organizationId, t.kind, t.model, t.version)],
);

/** Tokens used and held by running calls, per organization and UTC calendar month (migration 0025). */
export const aiTokenUsage = pgTable(
  'ai_token_usage',
  {
    ...tenantColumns,
    /** The first day of the month, `2026-12-01`. */
    month: date('month', { mode: 'string' }).notNull(),
    usedTokens: bigint('used_tokens', { mode: 'number' }).notNull().default(0),
    reservedTokens: bigint('reserved_tokens', { mode: 'number' }).notNull().default(0),
    ...timestamps,
  },
  (t) => [...tenantKeys(t), uniqueKey(t.organizationId, t.month)],
);

export const integrationTypes = ['jira', 'github', 'gitlab', 'slack', 'linear', 'asana', 'trello', 'other'] as const;
export type IntegrationType = (typeof integrationTypes)[number];
export const integrationStatuses = ['pending', 'active', 'error', 'disabled'] as const;
export type IntegrationStatus = (typeof integrationStatuses)[number];

export const integrations = pgTable(
  'integrations',
  {
    ...tenantColumns,
    type: text('type', { enum: integrationTypes }).notNull(),
    name: text('name').notNull(),
    /** Non-secret settings only; secrets go in credentialsCiphertext. */
    config: jsonb('config').$type<Record<string, unknown>>().notNull().default({}),
    credentialsCiphertext: bytea('credentials_ciphertext'),
    status: text('status', { enum: integrationStatuses }).notNull().default('pending'),
    lastSyncAt: timestamptz('last_sync_at'),
    lastError: text('last_error'),
    createdById: uuid('created_by_id'),
    ...timestamps,
  },
  (t) => [
    ...tenantKeys(t),
    uniqueKey(t.organizationId, t.type, t.name),
    memberReference(t.organizationId, t.createdById, 'no action'),
    index('integrations_organization_id_created_by_id_idx').on(t.organizationId, t.createdById),
  ],
);

export const gapTypes = [
  'resource',
  'skill',
  'process',
  'technology',
  'communication',
  'timeline',
  'budget',
  'quality',
] as const;
export type GapType = (typeof gapTypes)[number];
export const gapSeverities = ['low', 'medium', 'high', 'critical'] as const;
export type GapSeverity = (typeof gapSeverities)[number];
export const gapStatuses = ['identified', 'analyzing', 'in_progress', 'resolved', 'accepted'] as const;
export type GapStatus = (typeof gapStatuses)[number];

export type RootCauseAnalysis = {
  causes: { description: string; category?: GapType; confidence?: number }[];
  contributingFactors: string[];
  /** How the analysis was made, e.g. "five_whys" or "fishbone". */
  method?: string;
};

export type GapRecommendation = {
  title: string;
  description?: string;
  priority?: GapSeverity;
  effort?: 'low' | 'medium' | 'high';
};

/** Seed 001: gaps identified in a project, with their root-cause analysis. */
export const gaps = pgTable(
  'gaps',
  {
    ...tenantColumns,
    projectId: uuid('project_id').notNull(),
    title: text('title').notNull(),
    description: text('description'),
    gapType: text('gap_type', { enum: gapTypes }).notNull(),
    severity: text('severity', { enum: gapSeverities }).notNull().default('medium'),
    status: text('status', { enum: gapStatuses }).notNull().default('identified'),
    rootCauseAnalysis: jsonb('root_cause_analysis').$type<RootCauseAnalysis>(),
    impact: text('impact'),
    recommendations: jsonb('recommendations').$type<GapRecommendation[]>(),
    identifiedById: uuid('identified_by_id'),
    resolvedAt: timestamptz('resolved_at'),
    deletedAt: timestamptz('deleted_at'),
    ...timestamps,
  },
  (t) => [
    ...tenantKeys(t),
    fk([t.organizationId, t.projectId], [projects.organizationId, projects.id], 'cascade'),
    memberReference(t.organizationId, t.identifiedById, 'no action'),
    index('gaps_organization_id_project_id_status_idx').on(t.organizationId, t.projectId, t.status),
    index('gaps_organization_id_identified_by_id_idx').on(t.organizationId, t.identifiedById),
  ],
);

export const predictionTypes = ['delivery_date', 'velocity', 'risk', 'scope'] as const;
export type PredictionType = (typeof predictionTypes)[number];

/** A forecast's outcome; values are dates (ISO strings) or numbers depending on the type. */
export type PredictionResult = {
  /** Keyed by percentile, e.g. { "50": "2025-06-01", "85": "2025-06-20" }. */
  percentiles?: Record<string, string | number>;
  mean?: number;
  standardDeviation?: number;
  simulations?: number;
  summary?: string;
};

/** Seed 001: forecasts computed from the project's own history. */
export const predictions = pgTable(
  'predictions',
  {
    ...tenantColumns,
    projectId: uuid('project_id').notNull(),
    predictionType: text('prediction_type', { enum: predictionTypes }).notNull(),
    /** How it was computed, e.g. monte_carlo. */
    method: text('method').notNull(),
    /** numeric(5,4) in [0, 1], read as a string to keep it exact. */
    confidence: numeric('confidence', { precision: 5, scale: 4 }),
    result: jsonb('result').$type<PredictionResult>().notNull().default({}),
    inputSummary: jsonb('input_summary').$type<Record<string, unknown>>(),
    validUntil: timestamptz('valid_until'),
    createdById: uuid('created_by_id'),
    ...timestamps,
  },
  (t) => [
    ...tenantKeys(t),
    fk([t.organizationId, t.projectId], [projects.organizationId, projects.id], 'cascade'),
    memberReference(t.organizationId, t.createdById, 'no action'),
    index('predictions_organization_id_project_id_type_idx').on(
      t.organizationId,
      t.projectId,
      t.predictionType,
      t.createdAt,
    ),
    index('predictions_organization_id_created_by_id_idx').on(t.organizationId, t.createdById),
  ],
);

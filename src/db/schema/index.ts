// The Drizzle mirror of migrations/*. SQL is the truth for DDL; this mirrors it for typed
// queries, and a test compares the two.
export * from './platform.js';
export * from './organizations.js';
export * from './audit.js';
export * from './work.js';
export * from './ai-integrations.js';
export * from './auth-events.js';
export * from './sprint-history.js';
export * from './document-versions.js';
export * from './jobs.js';
export * from './notifications.js';
export * from './billing.js';
export * from './webhooks.js';

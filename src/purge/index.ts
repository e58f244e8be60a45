export { PURGE_ACTOR, PURGE_ORDER, type PurgeOptions, type PurgeSummary, purgeDeleted } from './purge.js';
export { DEFAULT_RETENTION_DAYS, retentionDays } from './retention.js';
export { startPurgeSchedule } from './schedule.js';

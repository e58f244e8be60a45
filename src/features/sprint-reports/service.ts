import { findSprint } from '../sprints/repository.js';
import { requireProjectAccess } from '../shared/project-access.js';
import { type ServiceCall, found, inTenant, requirePermission } from '../shared/service-call.js';
import * as repository from './repository.js';
import type { VelocityFilter } from './schemas.js';

/** A longer sprint is charted for its first year only, which bounds the query. */
const MAX_DAYS = 366;
const DAY_MS = 86_400_000;

const dayOf = (date: Date) => date.toISOString().slice(0, 10);
const addDays = (day: string, days: number) => dayOf(new Date(Date.parse(day) + days * DAY_MS));
const daysBetween = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / DAY_MS);

/**
 * Remaining and completed points per UTC day of a sprint, with scope changes and the ideal
 * line, from its start date to its end date (to today while it has not ended). Every member.
 */
export async function sprintBurndown(call: ServiceCall, sprintId: string, today = dayOf(new Date())) {
  requirePermission(call, 'read');
  const { organizationId } = call.scope;
  return inTenant(call, async (tx) => {
    const sprint = found(await findSprint(tx, organizationId, sprintId), 'sprint');
    await requireProjectAccess(tx, call.scope, sprint.projectId, 'read');
    const from = sprint.startDate;
    const plannedEnd = sprint.endDate ?? (sprint.completedAt ? dayOf(sprint.completedAt) : today);
    const shownEnd = sprint.status === 'completed' || plannedEnd < today ? plannedEnd : today;
    const to = from && addDays(from, MAX_DAYS - 1) < shownEnd ? addDays(from, MAX_DAYS - 1) : shownEnd;
    const rows = from && to >= from ? await repository.burndownDays(tx, organizationId, sprint.id, from, to) : [];

    const committed = rows[0]?.scope ?? 0;
    const span = from ? Math.max(daysBetween(from, plannedEnd), 1) : 1;
    const days = rows.map((row, index) => ({
      date: row.date,
      remaining: row.scope - row.completed,
      completed: row.completed,
      scopeAdded: row.scope_added,
      scopeRemoved: row.scope_removed,
      ideal: Math.round((committed * Math.max(span - index, 0) * 100) / span) / 100,
    }));
    const last = rows.at(-1);
    return {
      sprint: { id: sprint.id, name: sprint.name, startDate: sprint.startDate, endDate: sprint.endDate, status: sprint.status },
      unit: 'points' as const,
      days,
      totals: {
        committed,
        scope: last?.scope ?? 0,
        completed: last?.completed ?? 0,
        remaining: last ? last.scope - last.completed : 0,
        scopeAdded: days.reduce((sum, day) => sum + day.scopeAdded, 0),
        scopeRemoved: days.reduce((sum, day) => sum + day.scopeRemoved, 0),
      },
    };
  });
}

/** Committed and completed points of a project's last completed sprints, newest first. Every member. */
export async function projectVelocity(call: ServiceCall, projectId: string, filter: VelocityFilter) {
  requirePermission(call, 'read');
  const { organizationId } = call.scope;
  const rows = await inTenant(call, async (tx) => {
    await requireProjectAccess(tx, call.scope, projectId, 'read');
    return repository.velocity(tx, organizationId, projectId, filter.limit);
  });
  return {
    items: rows.map((row) => ({
      sprintId: row.id,
      name: row.name,
      startDate: row.start_date,
      endDate: row.end_date,
      committed: row.committed,
      completed: row.completed,
    })),
  };
}

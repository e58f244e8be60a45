import { z } from '@hono/zod-openapi';
import { sprintStatuses } from '../../db/schema/index.js';

const points = z.int().min(0);

export const BurndownDay = z
  .object({
    /** A UTC day; its numbers are the state at the end of that day (or now, for today). */
    date: z.iso.date(),
    /** Points in the sprint not yet done. */
    remaining: points,
    /** Points done (the burnup line). */
    completed: points,
    /** Points that entered the sprint that day: tasks moved in, created in it, re-estimated upwards. */
    scopeAdded: points,
    /** Points that left it: tasks moved out, deleted, canceled, re-estimated downwards. */
    scopeRemoved: points,
    /** The straight line from the committed points on the first day to 0 on the sprint's end date. */
    ideal: z.number().min(0),
  })
  .openapi('BurndownDay');

export const Burndown = z
  .object({
    sprint: z.object({
      id: z.uuid(),
      name: z.string(),
      startDate: z.iso.date().nullable(),
      endDate: z.iso.date().nullable(),
      status: z.enum(sprintStatuses),
    }),
    unit: z.literal('points'),
    /** From the start date to the end date, or to today while the sprint runs; empty without a start date or before it. */
    days: z.array(BurndownDay),
    totals: z.object({
      /** Points in the sprint at the end of its first day. */
      committed: points,
      /** Points in the sprint on the last day shown. */
      scope: points,
      completed: points,
      remaining: points,
      scopeAdded: points,
      scopeRemoved: points,
    }),
  })
  .openapi('SprintBurndown');

export const VelocityQuery = z.object({
  /** How many completed sprints, newest first. */
  limit: z.coerce.number().int().min(1).max(20).default(10),
});

export const VelocitySprint = z
  .object({
    sprintId: z.uuid(),
    name: z.string(),
    startDate: z.iso.date().nullable(),
    endDate: z.iso.date().nullable(),
    /** Points in the sprint at the end of its first day. */
    committed: points,
    /** Points done in the sprint when it completed. */
    completed: points,
  })
  .openapi('VelocitySprint');

export const Velocity = z.object({ items: z.array(VelocitySprint) }).openapi('ProjectVelocity');

export type VelocityFilter = z.infer<typeof VelocityQuery>;

import type { Database } from '../../src/db/connection.js';
import type { Samples } from './interleave.js';
import { median, pairedRatio, round } from './stats.js';

/** A demo organization as the write benchmarks act in it: its owner and a member, its first live project (by key) and task (by id), and that task's reference. */
export type DemoOrg = { organizationId: string; projectId: string; taskId: string; taskRef: string; ownerId: string; memberId: string };

/** `seedDemo`'s organization `slug`, read as a superuser. */
export async function demoOrg(db: Database, slug: string): Promise<DemoOrg> {
  const [row] = await db.query<{ organization_id: string; project_id: string; task_id: string; task_ref: string; owner_id: string; member_id: string }>(
    `select o.id as organization_id, p.id as project_id,
            (select t.id from tasks t join projects tp on tp.organization_id = t.organization_id and tp.id = t.project_id and tp.deleted_at is null
              where t.organization_id = o.id and t.deleted_at is null order by t.id limit 1) as task_id,
            (select tp.key || '-' || t.number from tasks t join projects tp on tp.organization_id = t.organization_id and tp.id = t.project_id and tp.deleted_at is null
              where t.organization_id = o.id and t.deleted_at is null order by t.id limit 1) as task_ref,
            (select user_id from members where organization_id = o.id and role = 'owner' limit 1) as owner_id,
            (select user_id from members where organization_id = o.id and role = 'member' limit 1) as member_id
       from organizations o join projects p on p.organization_id = o.id and p.deleted_at is null
      where o.slug = $1 order by p.key limit 1`,
    [slug],
  );
  if (!row) throw new Error(`demo organization ${slug} not found`);
  return { organizationId: row.organization_id, projectId: row.project_id, taskId: row.task_id, taskRef: row.task_ref, ownerId: row.owner_id, memberId: row.member_id };
}

/** A one-trip write against its ordinary path from interleaved samples (metric `ms`): medians, and the median of paired ratios. */
export function oneTripAgainstOrdinary(samples: Samples, oneTrip: string, ordinary: string) {
  const ms = (name: string) => samples[name]?.ms ?? [];
  return {
    oneTripMedianMs: round(median(ms(oneTrip))),
    ordinaryMedianMs: round(median(ms(ordinary))),
    ordinaryOverOneTrip: round(pairedRatio(ms(ordinary), ms(oneTrip))),
  };
}

/** With `--by-ref`: the one trip naming the task by reference against the same by id (`byId`), the median of paired ratios. */
export function byRefAgainstById(samples: Samples, byRef: string, byId: string) {
  const ms = (name: string) => samples[name]?.ms ?? [];
  return { byIdMedianMs: round(median(ms(byId))), byRefOverById: round(pairedRatio(ms(byRef), ms(byId))) };
}

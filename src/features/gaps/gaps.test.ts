import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiHarness, createApiHarness } from '../../../test/support/api.js';

type Gap = { id: string; status: string; resolvedAt: string | null; identifiedById: string; severity: string };

describe('gaps API', () => {
  let h: ApiHarness;
  let projectId: string;
  beforeAll(async () => {
    h = await createApiHarness();
    const { organizationId, actors } = h.tenantA;
    const project = await h.request(actors.member, 'POST', `/api/v1/orgs/${organizationId}/projects`, { name: 'Gaps', key: 'GAP' });
    projectId = ((await project.json()) as { id: string }).id;
  });
  afterAll(async () => {
    await h.destroy();
  });
  const inProject = (orgId: string, project: string) => `/api/v1/orgs/${orgId}/projects/${project}/gaps`;
  const byId = (orgId: string, id: string) => `/api/v1/orgs/${orgId}/gaps/${id}`;
  const analysis = {
    causes: [{ description: 'Nobody owns the release checklist', category: 'process', confidence: 0.7 }],
    contributingFactors: ['New team'],
    method: 'five_whys',
  };
  const createGap = async (title = 'Slow releases') => {
    const { organizationId, actors } = h.tenantA;
    const response = await h.request(actors.member, 'POST', inProject(organizationId, projectId), {
      title, gapType: 'process', severity: 'high', rootCauseAnalysis: analysis, recommendations: [{ title: 'Name an owner', effort: 'low' }],
    });
    expect(response.status, await response.clone().text()).toBe(201);
    return (await response.json()) as Gap;
  };

  it('lets a member record, list, change and delete gaps', async () => {
    const { organizationId, actors } = h.tenantA;
    const gap = await createGap();
    expect(gap).toMatchObject({ status: 'identified', resolvedAt: null, identifiedById: actors.member.userId, rootCauseAnalysis: analysis });

    const listed = (await (await h.request(actors.viewer, 'GET', `${inProject(organizationId, projectId)}?severity=high`)).json()) as { items: Gap[] };
    expect(listed.items.map((g) => g.id)).toContain(gap.id);
    const none = (await (await h.request(actors.viewer, 'GET', `${inProject(organizationId, projectId)}?status=resolved`)).json()) as { items: Gap[] };
    expect(none.items).toEqual([]);

    const changed = await h.request(actors.member, 'PATCH', byId(organizationId, gap.id), { severity: 'critical', impact: 'Customers wait a week' });
    expect(await changed.json()).toMatchObject({ severity: 'critical', impact: 'Customers wait a week' });

    expect((await h.request(actors.member, 'DELETE', byId(organizationId, gap.id))).status).toBe(204);
    expect((await h.request(actors.viewer, 'GET', byId(organizationId, gap.id))).status).toBe(404);
    const after = (await (await h.request(actors.viewer, 'GET', inProject(organizationId, projectId))).json()) as { items: Gap[] };
    expect(after.items.map((g) => g.id)).not.toContain(gap.id);
    const [row] = await h.test.db.query<{ deleted_at: Date | null }>('select deleted_at from gaps where id = $1', [gap.id]);
    expect(row?.deleted_at).not.toBeNull();
  });

  it('moves status along the allowed transitions, stamping resolvedAt on resolve and clearing it on reopen', async () => {
    const { organizationId, actors } = h.tenantA;
    const gap = await createGap('Flaky tests');
    const move = (status: string) => h.request(actors.member, 'PATCH', byId(organizationId, gap.id), { status });

    expect(await (await move('analyzing')).json()).toMatchObject({ status: 'analyzing', resolvedAt: null });
    const resolved = (await (await move('resolved')).json()) as Gap;
    expect(resolved.status).toBe('resolved');
    expect(Date.parse(resolved.resolvedAt ?? '')).toBeGreaterThan(Date.now() - 60_000);

    const refused = await move('analyzing');
    expect(refused.status).toBe(409);
    expect(await refused.json()).toMatchObject({ error: { code: 'conflict', details: { from: 'resolved', to: 'analyzing', allowed: ['in_progress'] } } });

    expect(await (await move('in_progress')).json()).toMatchObject({ status: 'in_progress', resolvedAt: null });
    // Staying put, or changing nothing, is not a transition: the gap comes back as it is.
    const unchanged = (await (await move('in_progress')).json()) as Gap;
    expect(unchanged).toMatchObject({ status: 'in_progress' });
    expect(await (await h.request(actors.member, 'PATCH', byId(organizationId, gap.id), {})).json()).toEqual(unchanged);
  });

  it('rejects bad input naming the fields, and writes nothing', async () => {
    const { organizationId, actors } = h.tenantA;
    const before = await h.test.db.query('select * from gaps order by id');
    const response = await h.request(actors.member, 'POST', inProject(organizationId, projectId), {
      title: '', gapType: 'vibes', severity: 'apocalyptic', rootCauseAnalysis: { causes: 'many' }, status: 'resolved',
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: string; details: { path: string }[] } };
    expect(body.error.code).toBe('validation_failed');
    expect(body.error.details.map((d) => d.path)).toEqual(
      expect.arrayContaining(['title', 'gapType', 'severity', 'rootCauseAnalysis.causes', 'rootCauseAnalysis.contributingFactors']),
    );
    expect(body.error.details.some((d) => d.path === '' || d.path === 'status')).toBe(true);
    const badStatus = await h.request(actors.member, 'PATCH', byId(organizationId, crypto.randomUUID()), { status: 'done' });
    expect(badStatus.status).toBe(400);
    expect(await h.test.db.query('select * from gaps order by id')).toEqual(before);
  });

  it('answers 401 without a session and 403 for a viewer writing', async () => {
    const { organizationId, actors } = h.tenantA;
    const gap = await createGap('Viewer target');
    expect((await h.request(null, 'GET', inProject(organizationId, projectId))).status).toBe(401);
    expect((await h.request(null, 'GET', byId(organizationId, gap.id))).status).toBe(401);
    const attempts = [
      await h.request(actors.viewer, 'POST', inProject(organizationId, projectId), { title: 'X', gapType: 'skill' }),
      await h.request(actors.viewer, 'PATCH', byId(organizationId, gap.id), { status: 'resolved' }),
      await h.request(actors.viewer, 'DELETE', byId(organizationId, gap.id)),
    ];
    expect(attempts.map((r) => r.status)).toEqual([403, 403, 403]);
    expect(await (await h.request(actors.viewer, 'GET', byId(organizationId, gap.id))).json()).toMatchObject({ status: 'identified' });
  });

  it("answers 404 for another tenant's project and gap, exactly like missing ones, and leaves them unchanged", async () => {
    const gap = await createGap('Victim gap');
    const before = await h.test.db.query('select * from gaps where id = $1', [gap.id]);
    const outsider = h.tenantB.actors.owner;
    const other = h.tenantB.organizationId;
    const attempts = [
      await h.request(outsider, 'GET', byId(h.tenantA.organizationId, gap.id)),
      await h.request(outsider, 'GET', byId(other, gap.id)),
      await h.request(outsider, 'PATCH', byId(other, gap.id), { status: 'resolved' }),
      await h.request(outsider, 'DELETE', byId(other, gap.id)),
      await h.request(outsider, 'GET', inProject(other, projectId)),
      await h.request(outsider, 'POST', inProject(other, projectId), { title: 'Planted', gapType: 'skill' }),
    ];
    expect(attempts.map((r) => r.status)).toEqual([404, 404, 404, 404, 404, 404]);
    const missing = await h.request(outsider, 'GET', byId(other, crypto.randomUUID()));
    expect(await attempts[1]!.json()).toEqual(await missing.json());
    expect(await h.test.db.query('select * from gaps where id = $1', [gap.id])).toEqual(before);
    expect(await h.test.db.query(`select id from gaps where title = 'Planted'`)).toEqual([]);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiHarness, createApiHarness } from '../../../test/support/api.js';

type Message = { id: string; conversationId: string; role: string; content: string; userId: string; tokens: number | null };
type Page = { items: Message[]; nextCursor: string | null };

describe('project prompts API', () => {
  let h: ApiHarness;
  let projectId: string;
  beforeAll(async () => {
    h = await createApiHarness();
    const { organizationId, actors } = h.tenantA;
    const project = await h.request(actors.member, 'POST', `/api/v1/orgs/${organizationId}/projects`, { name: 'Chat', key: 'CHAT' });
    projectId = ((await project.json()) as { id: string }).id;
  });
  afterAll(async () => {
    await h.destroy();
  });
  const path = (orgId: string, project: string, query = '') => `/api/v1/orgs/${orgId}/projects/${project}/prompts${query}`;

  it('starts a conversation, appends to it, and replays it in order', async () => {
    const { organizationId, actors } = h.tenantA;
    const first = await h.request(actors.member, 'POST', path(organizationId, projectId), { role: 'user', content: 'Draft a PRD for search' });
    expect(first.status, await first.clone().text()).toBe(201);
    const opening = (await first.json()) as Message;
    expect(opening).toMatchObject({ role: 'user', userId: actors.member.userId, tokens: null });
    const { conversationId } = opening;
    const reply = (await (await h.request(actors.member, 'POST', path(organizationId, projectId), {
      conversationId, role: 'assistant', content: '# Search PRD', provider: 'anthropic', model: 'claude', tokens: 420,
    })).json()) as Message;
    expect(reply).toMatchObject({ conversationId, tokens: 420 });
    await h.request(actors.member, 'POST', path(organizationId, projectId), { role: 'user', content: 'Another conversation' });

    const replay = (await (await h.request(actors.viewer, 'GET', path(organizationId, projectId, `?conversationId=${conversationId}`))).json()) as Page;
    expect(replay.items.map((m) => [m.role, m.content])).toEqual([['user', 'Draft a PRD for search'], ['assistant', '# Search PRD']]);
    const everything = (await (await h.request(actors.viewer, 'GET', path(organizationId, projectId))).json()) as Page;
    expect(new Set(everything.items.map((m) => m.conversationId)).size).toBe(2);
    const page = (await (await h.request(actors.viewer, 'GET', path(organizationId, projectId, '?limit=2'))).json()) as Page;
    const rest = (await (await h.request(actors.viewer, 'GET', path(organizationId, projectId, `?limit=2&cursor=${page.nextCursor}`))).json()) as Page;
    expect([...page.items, ...rest.items].map((m) => m.id)).toEqual(everything.items.map((m) => m.id));
  });

  it('rejects bad input naming the fields, and writes nothing', async () => {
    const { organizationId, actors } = h.tenantA;
    const before = await h.test.db.query('select id from project_prompts order by id');
    const response = await h.request(actors.member, 'POST', path(organizationId, projectId), {
      role: 'narrator', content: '', tokens: -3, conversationId: 'chat-1', mood: 'happy',
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: string; details: { path: string }[] } };
    expect(body.error.code).toBe('validation_failed');
    expect(body.error.details.map((d) => d.path)).toEqual(expect.arrayContaining(['role', 'content', 'tokens', 'conversationId']));
    expect(await h.test.db.query('select id from project_prompts order by id')).toEqual(before);
  });

  it('answers 401 without a session and 403 for a viewer writing', async () => {
    const { organizationId, actors } = h.tenantA;
    expect((await h.request(null, 'GET', path(organizationId, projectId))).status).toBe(401);
    const viewer = await h.request(actors.viewer, 'POST', path(organizationId, projectId), { role: 'user', content: 'hi' });
    expect(viewer.status).toBe(403);
    expect(await viewer.json()).toMatchObject({ error: { code: 'forbidden' } });
  });

  it("answers 404 for another tenant's project, exactly like a missing one, and writes nothing", async () => {
    const outsider = h.tenantB.actors.owner;
    const other = h.tenantB.organizationId;
    const before = await h.test.db.query('select * from project_prompts order by id');
    const attempts = [
      await h.request(outsider, 'GET', path(h.tenantA.organizationId, projectId)),
      await h.request(outsider, 'GET', path(other, projectId)),
      await h.request(outsider, 'POST', path(other, projectId), { role: 'system', content: 'planted' }),
    ];
    expect(attempts.map((r) => r.status)).toEqual([404, 404, 404]);
    const missing = await h.request(outsider, 'GET', path(other, crypto.randomUUID()));
    expect(await attempts[1]!.json()).toEqual(await missing.json());
    expect(await h.test.db.query('select * from project_prompts order by id')).toEqual(before);
  });
});

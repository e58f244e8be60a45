import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Actor, type ApiHarness, createApiHarness } from '../../../test/support/api.js';

type Asset = { id: string; fileName: string; contentType: string; sizeBytes: number; checksumSha256: string; uploadedById: string };

describe('project assets API', () => {
  let h: ApiHarness;
  let projectId: string;
  beforeAll(async () => {
    h = await createApiHarness();
    const { organizationId, actors } = h.tenantA;
    const project = await h.request(actors.member, 'POST', `/api/v1/orgs/${organizationId}/projects`, { name: 'Files', key: 'FILES' });
    projectId = ((await project.json()) as { id: string }).id;
  });
  afterAll(async () => {
    await h.destroy();
  });
  const path = (orgId: string, project: string, rest = '') => `/api/v1/orgs/${orgId}/projects/${project}/assets${rest}`;
  const upload = (actor: Actor | null, url: string, bytes: Uint8Array | string, headers: Record<string, string> = {}) =>
    h.app.request(url, {
      method: 'POST',
      headers: { ...(actor ? { authorization: `Bearer ${actor.token}` } : {}), 'content-type': 'application/octet-stream', ...headers },
      body: bytes,
    });
  const sha256 = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');
  const blobFiles = (organizationId: string) => {
    const folder = join(h.dataDir, 'blobs', organizationId);
    return existsSync(folder) ? readdirSync(folder).sort() : [];
  };
  const assetRows = () => h.test.db.query('select * from project_assets order by id');

  it('stores a file with its checksum, serves it back as an attachment, and deletes it', async () => {
    const { organizationId, actors } = h.tenantA;
    const text = 'Release notes: ünïcode and all';
    const created = await upload(actors.member, `${path(organizationId, projectId)}?fileName=${encodeURIComponent('notes ü "v1".txt')}`, text, {
      'content-type': 'text/plain; charset=utf-8',
    });
    expect(created.status, await created.clone().text()).toBe(201);
    const asset = (await created.json()) as Asset;
    const size = Buffer.byteLength(text);
    expect(asset).toMatchObject({ fileName: 'notes ü "v1".txt', contentType: 'text/plain; charset=utf-8', sizeBytes: size, checksumSha256: sha256(text), uploadedById: actors.member.userId });
    expect(asset).not.toHaveProperty('storageKey');
    expect(readFileSync(join(h.dataDir, 'blobs', organizationId, asset.id), 'utf8')).toBe(text);
    const [row] = await h.test.db.query<{ storage_key: string }>('select storage_key from project_assets where id = $1', [asset.id]);
    expect(row?.storage_key).toBe(`${organizationId}/${asset.id}`);

    expect(await (await h.request(actors.viewer, 'GET', path(organizationId, projectId, `/${asset.id}`))).json()).toEqual(asset);
    const listed = (await (await h.request(actors.viewer, 'GET', path(organizationId, projectId))).json()) as { items: Asset[] };
    expect(listed.items.map((a) => a.id)).toContain(asset.id);

    const content = await h.request(actors.viewer, 'GET', path(organizationId, projectId, `/${asset.id}/content`));
    expect(content.status).toBe(200);
    expect(content.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(content.headers.get('content-length')).toBe(String(size));
    expect(content.headers.get('content-disposition')).toBe(`attachment; filename="notes _ _v1_.txt"; filename*=UTF-8''notes%20%C3%BC%20%22v1%22.txt`);
    expect(content.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await content.text()).toBe(text);

    expect((await h.request(actors.member, 'DELETE', path(organizationId, projectId, `/${asset.id}`))).status).toBe(204);
    expect((await h.request(actors.viewer, 'GET', path(organizationId, projectId, `/${asset.id}`))).status).toBe(404);
    expect((await h.request(actors.viewer, 'GET', path(organizationId, projectId, `/${asset.id}/content`))).status).toBe(404);
    expect(existsSync(join(h.dataDir, 'blobs', organizationId, asset.id))).toBe(false);
    const [deleted] = await h.test.db.query<{ deleted_at: Date | null }>('select deleted_at from project_assets where id = $1', [asset.id]);
    expect(deleted?.deleted_at).not.toBeNull();
  });

  it('round-trips binary bytes exactly', async () => {
    const { organizationId, actors } = h.tenantA;
    const bytes = randomBytes(300 * 1024);
    const created = (await (await upload(actors.member, `${path(organizationId, projectId)}?fileName=photo.bin`, bytes)).json()) as Asset;
    expect(created).toMatchObject({ sizeBytes: bytes.length, checksumSha256: sha256(bytes), contentType: 'application/octet-stream' });
    const content = await h.request(actors.viewer, 'GET', path(organizationId, projectId, `/${created.id}/content`));
    expect(Buffer.from(await content.arrayBuffer()).equals(bytes)).toBe(true);
  });

  it('accepts files larger than the JSON body limit, up to its own 10 MiB', async () => {
    const { organizationId, actors } = h.tenantA;
    const bytes = randomBytes(3 * 1024 * 1024);
    const created = await upload(actors.member, `${path(organizationId, projectId)}?fileName=scan.pdf`, bytes, { 'content-type': 'application/pdf' });
    expect(created.status, await created.clone().text()).toBe(201);
    expect(await created.json()).toMatchObject({ sizeBytes: bytes.length, checksumSha256: sha256(bytes) });
  });

  it("refuses files past the size limit or the plan's storage, keeping neither row nor bytes", async () => {
    const { organizationId, actors } = h.tenantA;
    const rows = await assetRows();
    const files = blobFiles(organizationId);
    const declared = await upload(actors.member, `${path(organizationId, projectId)}?fileName=big.bin`, 'x', { 'content-length': String(11 * 1024 * 1024) });
    expect(declared.status).toBe(413);
    const oversized = await upload(actors.member, `${path(organizationId, projectId)}?fileName=big.bin`, randomBytes(11 * 1024 * 1024));
    expect(oversized.status).toBe(413);
    expect(await oversized.json()).toMatchObject({ error: { code: 'payload_too_large' } });

    const [{ used } = { used: 0 }] = await h.test.db.query<{ used: number }>(
      'select coalesce(sum(size_bytes), 0)::int as used from project_assets where organization_id = $1 and deleted_at is null',
      [organizationId],
    );
    await h.test.db.query(`update subscription_plans set max_storage_bytes = $1 where code = 'free'`, [used + 100]);
    try {
      const full = await upload(actors.member, `${path(organizationId, projectId)}?fileName=one-too-many.bin`, randomBytes(200));
      expect(full.status).toBe(403);
      expect(await full.json()).toMatchObject({ error: { code: 'limit_exceeded', details: { resource: 'storage', limit: used + 100, used } } });
      const fits = await upload(actors.member, `${path(organizationId, projectId)}?fileName=fits.bin`, randomBytes(100));
      expect(fits.status).toBe(201);
      const fitted = (await fits.json()) as Asset;
      expect((await assetRows()).length).toBe(rows.length + 1);
      expect(blobFiles(organizationId)).toEqual([...files, fitted.id].sort());
    } finally {
      await h.test.db.query(`update subscription_plans set max_storage_bytes = null where code = 'free'`);
    }
  });

  it('rejects a bad file name or content type naming the field, and writes nothing', async () => {
    const { organizationId, actors } = h.tenantA;
    const rows = await assetRows();
    const files = blobFiles(organizationId);
    const cases: [string, Record<string, string>, string][] = [
      [path(organizationId, projectId), {}, 'fileName'],
      [`${path(organizationId, projectId)}?fileName=${encodeURIComponent('../../etc/passwd')}`, {}, 'fileName'],
      [`${path(organizationId, projectId)}?fileName=ok.txt`, { 'content-type': 'not a type' }, 'content-type'],
    ];
    for (const [url, headers, field] of cases) {
      const response = await upload(actors.member, url, 'bytes', headers);
      expect(response.status).toBe(400);
      const body = (await response.json()) as { error: { code: string; details: { path: string }[] } };
      expect(body.error.code).toBe('validation_failed');
      expect(body.error.details.map((d) => d.path)).toContain(field);
    }
    expect(await assetRows()).toEqual(rows);
    expect(blobFiles(organizationId)).toEqual(files);
  });

  it('answers 401 without a session and 403 for a viewer writing', async () => {
    const { organizationId, actors } = h.tenantA;
    const asset = (await (await upload(actors.member, `${path(organizationId, projectId)}?fileName=keep.txt`, 'keep')).json()) as Asset;
    expect((await upload(null, `${path(organizationId, projectId)}?fileName=a.txt`, 'x')).status).toBe(401);
    expect((await h.request(null, 'GET', path(organizationId, projectId, `/${asset.id}/content`))).status).toBe(401);
    expect((await upload(actors.viewer, `${path(organizationId, projectId)}?fileName=a.txt`, 'x')).status).toBe(403);
    expect((await h.request(actors.viewer, 'DELETE', path(organizationId, projectId, `/${asset.id}`))).status).toBe(403);
    expect((await h.request(actors.viewer, 'GET', path(organizationId, projectId, `/${asset.id}/content`))).status).toBe(200);
  });

  it("answers 404 for another tenant's project and file, exactly like missing ones, and leaves them alone", async () => {
    const { organizationId, actors } = h.tenantA;
    const asset = (await (await upload(actors.member, `${path(organizationId, projectId)}?fileName=secret.txt`, 'tenant A only')).json()) as Asset;
    const rows = await assetRows();
    const outsider = h.tenantB.actors.owner;
    const other = h.tenantB.organizationId;
    const attempts = [
      await h.request(outsider, 'GET', path(organizationId, projectId, `/${asset.id}/content`)),
      await h.request(outsider, 'GET', path(other, projectId, `/${asset.id}`)),
      await h.request(outsider, 'GET', path(other, projectId, `/${asset.id}/content`)),
      await h.request(outsider, 'DELETE', path(other, projectId, `/${asset.id}`)),
      await h.request(outsider, 'GET', path(other, projectId)),
      await upload(outsider, `${path(other, projectId)}?fileName=planted.txt`, 'planted'),
    ];
    expect(attempts.map((r) => r.status)).toEqual([404, 404, 404, 404, 404, 404]);
    const missing = await h.request(outsider, 'GET', path(other, projectId, `/${crypto.randomUUID()}`));
    expect(await attempts[1]!.json()).toEqual(await missing.json());
    expect(await assetRows()).toEqual(rows);
    expect(readFileSync(join(h.dataDir, 'blobs', organizationId, asset.id), 'utf8')).toBe('tenant A only');
    expect(blobFiles(other)).toEqual([]);
  });
});

describe('task attachments', () => {
  let h: ApiHarness;
  let projectId: string;
  let otherProjectId: string;
  type Task = { id: string; ref: string };
  const task = async (project: string, title: string) => {
    const { organizationId, actors } = h.tenantA;
    return (await (await h.request(actors.member, 'POST', `/api/v1/orgs/${organizationId}/projects/${project}/tasks`, { title })).json()) as Task;
  };
  const project = async (name: string, key: string) => {
    const { organizationId, actors } = h.tenantA;
    return ((await (await h.request(actors.member, 'POST', `/api/v1/orgs/${organizationId}/projects`, { name, key })).json()) as { id: string }).id;
  };
  beforeAll(async () => {
    h = await createApiHarness();
    projectId = await project('Attach', 'ATT');
    otherProjectId = await project('Elsewhere', 'ELSE');
  });
  afterAll(async () => {
    await h.destroy();
  });
  const path = (rest = '') => `/api/v1/orgs/${h.tenantA.organizationId}/projects/${projectId}/assets${rest}`;
  const upload = (query: string, bytes: string) =>
    h.app.request(`${path()}?${query}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${h.tenantA.actors.member.token}`, 'content-type': 'text/plain' },
      body: bytes,
    });
  const blobFiles = () => {
    const folder = join(h.dataDir, 'blobs', h.tenantA.organizationId);
    return existsSync(folder) ? readdirSync(folder).sort() : [];
  };
  const assetRows = () => h.test.db.query('select * from project_assets order by id');
  const listed = async (query: string) =>
    ((await (await h.request(h.tenantA.actors.viewer, 'GET', `${path()}?${query}`)).json()) as { items: (Asset & { taskId: string | null })[] }).items;

  it('attaches a file to a task named by id or reference, keeps the real name, and lists a task’s files', async () => {
    const first = await task(projectId, 'First');
    const second = await task(projectId, 'Second');
    const byId = await upload(`fileName=report.pdf&taskId=${first.id}`, 'one');
    expect(byId.status, await byId.clone().text()).toBe(201);
    const attached = (await byId.json()) as Asset & { taskId: string };
    expect(attached).toMatchObject({ fileName: 'report.pdf', taskId: first.id });
    const byRef = (await (await upload(`fileName=notes.txt&taskId=${second.ref.toLowerCase()}`, 'two')).json()) as Asset & { taskId: string };
    expect(byRef).toMatchObject({ fileName: 'notes.txt', taskId: second.id });
    const loose = (await (await upload('fileName=plan.txt', 'three')).json()) as Asset & { taskId: string | null };
    expect(loose.taskId).toBeNull();

    expect((await listed(`taskId=${first.id}`)).map((a) => a.id)).toEqual([attached.id]);
    expect((await listed(`taskId=${second.ref}`)).map((a) => a.id)).toEqual([byRef.id]);
    expect((await listed('')).map((a) => a.id).sort()).toEqual([attached.id, byRef.id, loose.id].sort());
    const content = await h.request(h.tenantA.actors.viewer, 'GET', path(`/${attached.id}/content`));
    expect(content.headers.get('content-disposition')).toBe(`attachment; filename="report.pdf"; filename*=UTF-8''report.pdf`);
  });

  it('refuses a task of another project, a deleted, missing or foreign task, naming taskId, and writes nothing', async () => {
    const { organizationId, actors } = h.tenantA;
    const elsewhere = await task(otherProjectId, 'Not here');
    const deleted = await task(projectId, 'Gone');
    expect((await h.request(actors.member, 'DELETE', `/api/v1/orgs/${organizationId}/tasks/${deleted.id}`)).status).toBe(204);
    const foreignProject = (await (
      await h.request(h.tenantB.actors.owner, 'POST', `/api/v1/orgs/${h.tenantB.organizationId}/projects`, { name: 'Theirs', key: 'THEIRS' })
    ).json()) as { id: string };
    const foreign = (await (
      await h.request(h.tenantB.actors.owner, 'POST', `/api/v1/orgs/${h.tenantB.organizationId}/projects/${foreignProject.id}/tasks`, { title: 'Theirs' })
    ).json()) as Task;
    const rows = await assetRows();
    const files = blobFiles();
    for (const taskId of [elsewhere.id, elsewhere.ref, deleted.id, deleted.ref, foreign.id, crypto.randomUUID(), 'ATT-999']) {
      for (const response of [await upload(`fileName=x.txt&taskId=${taskId}`, 'x'), await h.request(actors.viewer, 'GET', `${path()}?taskId=${taskId}`)]) {
        expect(response.status, taskId).toBe(400);
        const body = (await response.json()) as { error: { code: string; details: { path: string }[] } };
        expect(body.error.code).toBe('validation_failed');
        expect(body.error.details.map((d) => d.path)).toEqual(['taskId']);
      }
    }
    const malformed = await upload('fileName=x.txt&taskId=not-a-task', 'x');
    expect(malformed.status).toBe(400);
    expect(await assetRows()).toEqual(rows);
    expect(blobFiles()).toEqual(files);
  });
});

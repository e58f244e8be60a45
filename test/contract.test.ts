/**
 * The API contract, generated from /openapi.json: every operation is named, every pattern is
 * usable by a client, and every real response — success or error — matches the schema the
 * document gives for it. New operations are covered without editing this file: resources are
 * created through the document's own `create…` operations, then every other operation is called
 * with real ids and a body sampled from its schema.
 */
import { readFileSync } from 'node:fs';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import createClient from 'openapi-fetch';
import openapiTS, { astToString } from 'openapi-typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiHarness, createApiHarness } from './support/api.js';
import { type JsonSchema, patternSample, sampleOf } from './support/openapi-sample.js';
import { subscribe } from './support/plan.js';
import type { paths } from '../web/src/api/schema.js';

type MediaContent = Record<string, { schema?: JsonSchema }>;
type Operation = {
  operationId?: string;
  parameters?: { name: string; in: string; required?: boolean; schema?: JsonSchema }[];
  requestBody?: { required?: boolean; content?: MediaContent };
  responses?: Record<string, { content?: MediaContent }>;
};
type Document = { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, JsonSchema> } };
type Call = { method: string; path: string; operation: Operation };

const HTTP_METHODS = ['get', 'put', 'post', 'patch', 'delete'];

function operationsOf(document: Document): Call[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => HTTP_METHODS.includes(method))
      .map(([method, operation]) => ({ method, path, operation })),
  );
}

/** Every schema node in the document, with where it is, for checks that apply to all of them. */
function* schemaNodes(value: unknown, where = '#'): Generator<[string, Record<string, unknown>]> {
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) yield* schemaNodes(item, `${where}/${index}`);
  } else if (typeof value === 'object' && value !== null) {
    const node = Object.fromEntries(Object.entries(value));
    yield [where, node];
    for (const [key, child] of Object.entries(node)) yield* schemaNodes(child, `${where}/${key}`);
  }
}

/**
 * The document's schemas with every plain object closed (`additionalProperties: false`), so a
 * response field the document does not list is a failure, not a silent extra. An `allOf` of
 * objects (zod's `.extend` of a named schema) is merged first, since closing each part would
 * refuse the other part's fields.
 */
function closed(value: unknown, schemas: Record<string, JsonSchema>): unknown {
  if (Array.isArray(value)) return value.map((item) => closed(item, schemas));
  if (typeof value !== 'object' || value === null) return value;
  let node: Record<string, unknown> = Object.fromEntries(Object.entries(value));
  if (Array.isArray(node.allOf)) {
    const parts = node.allOf.map((part: JsonSchema) => (part.$ref ? schemas[part.$ref.replace('#/components/schemas/', '')] ?? {} : part));
    if (parts.every((part: JsonSchema) => part.type === 'object' && !part.allOf)) {
      const rest = { ...node };
      delete rest.allOf;
      node = {
        ...rest,
        type: 'object',
        properties: Object.assign({}, ...parts.map((part: JsonSchema) => part.properties ?? {})),
        required: parts.flatMap((part: JsonSchema) => part.required ?? []),
      };
    }
  }
  node = Object.fromEntries(Object.entries(node).map(([key, child]) => [key, closed(child, schemas)]));
  const isPlainObject = node.type === 'object' && node.properties !== undefined && !('additionalProperties' in node);
  return isPlainObject ? { ...node, additionalProperties: false } : node;
}

const FORMATS: Record<string, RegExp> = {
  uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
  'date-time': /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/,
  date: /^\d{4}-\d{2}-\d{2}$/,
  email: /^[^@\s]+@[^@\s]+$/,
  uri: /^[a-z][a-z0-9+.-]*:/i,
  url: /^[a-z][a-z0-9+.-]*:/i,
};

/** A validator for schemas of the document: `#/components/…` references resolve inside it. */
function validatorFor(document: Document) {
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
  for (const [name, pattern] of Object.entries(FORMATS)) ajv.addFormat(name, pattern);
  ajv.addFormat('binary', true);
  const components = closed(document.components, document.components.schemas);
  const cache = new Map<unknown, ValidateFunction>();
  return (schema: JsonSchema, body: unknown): string | null => {
    let validate = cache.get(schema);
    if (!validate) {
      // `components` sits beside the schema so that `#/components/schemas/X` resolves.
      validate = ajv.compile({ ...Object.fromEntries(Object.entries(closed(schema, document.components.schemas) ?? {})), components });
      cache.set(schema, validate);
    }
    if (validate(body)) return null;
    const messages = (validate.errors ?? []).map((error) => {
      const extra = 'additionalProperty' in error.params ? ` '${String(error.params.additionalProperty)}'` : '';
      return `${error.instancePath || '(body)'} ${error.message ?? 'is invalid'}${extra}`;
    });
    return [...new Set(messages)].join('; ');
  };
}

/** Creations first so that later calls have ids; restores after deletes; the organization goes last. */
/** The typed client's types, generated from /openapi.json by `npm run web:api` (the web app uses them too). */
const API_TYPES = new URL('../web/src/api/schema.d.ts', import.meta.url);

const ORDER = ['create', 'get', 'patch', 'put', 'action', 'delete', 'restore', 'destroy'];

describe('the API contract (/openapi.json)', () => {
  let h: ApiHarness;
  let document: Document;
  beforeAll(async () => {
    h = await createApiHarness();
    document = (await (await h.app.request('/openapi.json')).json()) as Document;
    // The pro plan with every feature, so plan limits and features do not stand between an operation and its 2xx.
    await h.test.db.query(
      `insert into features (code, name) values ('ai_assistant', 'AI assistant'), ('integrations', 'Integrations') on conflict do nothing`,
    );
    await h.test.db.query(
      `insert into plan_features (plan_id, feature_id) select p.id, f.id from subscription_plans p, features f where p.code = 'pro' on conflict do nothing`,
    );
    await subscribe(h.test, h.tenantA.organizationId, 'pro');
  });
  afterAll(async () => {
    await h.destroy();
  });

  it('names every operation, ours and Better Auth’s, with a unique operationId', () => {
    const ids = operationsOf(document).map(({ method, path, operation }) => operation.operationId ?? `(none: ${method} ${path})`);
    expect(ids.filter((id) => id.startsWith('(none'))).toEqual([]);
    expect(ids.filter((id, index) => ids.indexOf(id) !== index)).toEqual([]);
    expect(ids).toEqual(
      expect.arrayContaining(['listProjects', 'createProject', 'getTask', 'completeSprint', 'listProjectMembers', 'getOrganization', 'authGetOrganization']),
    );
  });

  it('publishes every pattern as a plain ECMA-262 expression that a sample value matches', () => {
    const patterns = [...schemaNodes(document)].filter(([, node]) => typeof node.pattern === 'string');
    expect(patterns.length).toBeGreaterThan(0);
    const unusable = patterns.flatMap(([where, node]) => {
      const pattern = String(node.pattern);
      const example = typeof node.example === 'string' ? node.example : patternSample(pattern);
      try {
        return new RegExp(pattern, 'u').test(example) ? [] : [`${where}: ${pattern} does not match ${example}`];
      } catch (error) {
        return [`${where}: ${pattern} does not compile: ${String(error)}`];
      }
    });
    expect(unusable).toEqual([]);
  });

  // Calls every operation as tenant A's owner, deleting the organization at the end: later tests use tenant B.
  it('answers every operation with a body its schema describes, successes and errors alike', async () => {
    const validate = validatorFor(document);
    const resolve = (ref: string) => document.components.schemas[ref.replace('#/components/schemas/', '')] ?? {};
    const { slug, actors } = h.tenantA;
    /** Ids of what was created, by collection (`projects`); people are the viewer, whom the owner may manage. */
    const ids = new Map<string, string>([['members', actors.viewer.userId]]);
    const idFor = (field: string) => {
      if (/^(user|assignee|owner|reporter|author|lead)Id$/.test(field)) return actors.viewer.userId;
      const collection = `${field.replace(/Id$/, '')}s`;
      return ids.get(collection) ?? crypto.randomUUID();
    };
    /**
     * `{projectId}` is the project; `{id}` (or `{ref}`) is whatever the collection before it holds;
     * a number (`{version}`) is the smallest its schema allows.
     */
    const pathFor = ({ path, operation }: Call): string | null => {
      const segments = path.split('/');
      const filled = segments.map((segment, index) => {
        if (!segment.startsWith('{')) return segment;
        // The slug, not the id: every operation must take either (the id is what other tests use).
        if (segment === '{orgId}') return slug;
        const schema = operation.parameters?.find((p) => p.in === 'path' && `{${p.name}}` === segment)?.schema;
        if (schema?.type === 'integer') return String(sampleOf(schema, resolve, idFor));
        const named = /^\{(\w+)Id\}$/.exec(segment)?.[1];
        const collection = named && named !== 'user' ? `${named}s` : segments[index - 1] ?? '';
        return ids.get(collection) ?? null;
      });
      return filled.includes(null) ? null : filled.join('/');
    };
    const kindOf = ({ method, path }: Call) => {
      const last = path.split('/').at(-1) ?? '';
      if (path === '/api/v1/orgs/{orgId}' && method === 'delete') return 'destroy';
      if (method === 'post' && last === 'restore') return 'restore';
      if (method === 'post') return last.startsWith('{') || !last.endsWith('s') ? 'action' : 'create';
      return method;
    };
    /** How many paths hang below an item path's collection: deleting children before parents. */
    const allPaths = Object.keys(document.paths);
    const descendantsOf = ({ path }: Call) => {
      const collection = path.replace(/\/\{[^}]+\}(\/\w+)?$/, '').split('/').at(-1) ?? '';
      return allPaths.filter((other) => other.includes(`/${collection}/{`) && other.split('/').length > path.split('/').length).length;
    };
    const byLifecycle = (a: Call, b: Call) => {
      const order = ORDER.indexOf(kindOf(a)) - ORDER.indexOf(kindOf(b));
      if (order !== 0) return order;
      if (kindOf(a) === 'delete') return descendantsOf(a) - descendantsOf(b);
      if (kindOf(a) === 'restore') return descendantsOf(b) - descendantsOf(a);
      return 0;
    };

    const calls = operationsOf(document)
      .filter(({ path }) => path.startsWith('/api/v1/'))
      .sort(byLifecycle);
    const failures: string[] = [];
    const unanswered: string[] = [];
    const pending = [...calls];
    // A create may need another's id (a comment needs a task): repeat until nothing more can run.
    for (let progress = true; progress; ) {
      progress = false;
      for (const call of [...pending]) {
        const path = pathFor(call);
        if (path === null) continue;
        pending.splice(pending.indexOf(call), 1);
        progress = true;
        const response = await send(call, path);
        const label = `${call.method.toUpperCase()} ${call.path} → ${response.status}`;
        const problem = await check(call, response);
        if (problem) failures.push(`${label}: ${problem}`);
        if (response.status >= 300) unanswered.push(label);
        if (kindOf(call) === 'create' && response.status === 201) {
          const created = (await response.clone().json()) as { id?: string };
          const collection = call.path.split('/').at(-1) ?? '';
          if (created.id && !ids.has(collection)) ids.set(collection, created.id);
        }
      }
    }

    async function send({ method, operation }: Call, path: string) {
      const query = new URLSearchParams();
      for (const parameter of operation.parameters ?? []) {
        if (parameter.in === 'query' && parameter.required) query.set(parameter.name, String(sampleOf(parameter.schema ?? {}, resolve, idFor, parameter.name)));
      }
      const url = query.size ? `${path}?${query.toString()}` : path;
      const content = operation.requestBody?.content ?? {};
      const json = content['application/json']?.schema;
      const headers: Record<string, string> = { authorization: `Bearer ${actors.owner.token}` };
      if (json) {
        headers['content-type'] = 'application/json';
        return h.app.request(url, { method: method.toUpperCase(), headers, body: JSON.stringify(sampleOf(json, resolve, idFor)) });
      }
      const [mediaType] = Object.keys(content);
      if (mediaType) {
        headers['content-type'] = mediaType === 'application/octet-stream' ? 'text/plain' : mediaType;
        return h.app.request(url, { method: method.toUpperCase(), headers, body: 'contract probe' });
      }
      return h.app.request(url, { method: method.toUpperCase(), headers });
    }

    async function check({ operation }: Call, response: Response): Promise<string | null> {
      if (response.status >= 500) return `server error ${await response.text()}`;
      const documented = operation.responses?.[String(response.status)] ?? operation.responses?.default;
      if (!documented) return `status ${response.status} is not documented`;
      const schema = documented.content?.['application/json']?.schema;
      const isJson = (response.headers.get('content-type') ?? '').startsWith('application/json');
      if (!schema) return isJson && response.status !== 204 ? 'a JSON body where the document promises none' : null;
      if (!isJson) return `content-type ${response.headers.get('content-type')} instead of application/json`;
      return validate(schema, await response.clone().json());
    }

    expect(failures).toEqual([]);
    // Every operation was called; the ones that could not succeed are listed to keep this honest.
    expect(pending.map((call) => `${call.method} ${call.path}`)).toEqual([]);
    expect(calls.length - unanswered.length, `no 2xx from:\n${unanswered.join('\n')}`).toBeGreaterThan(calls.length * 0.9);
  });

  describe('errors say what was wrong', () => {
    const projects = () => `/api/v1/orgs/${h.tenantB.organizationId}/projects`;
    const asOwner = (init: { method: string; headers?: Record<string, string>; body?: string }) =>
      h.app.request(projects(), { ...init, headers: { authorization: `Bearer ${h.tenantB.actors.owner.token}`, ...init.headers } });
    const projectCount = async () => (await h.test.db.query('select id from projects where organization_id = $1', [h.tenantB.organizationId])).length;

    it('tells malformed JSON (invalid_json) from valid JSON that breaks the schema (validation_failed, naming the fields)', async () => {
      const before = await projectCount();
      const malformed = await asOwner({ method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name": "broken' });
      expect(malformed.status).toBe(400);
      expect(await malformed.json()).toMatchObject({ error: { code: 'invalid_json' } });
      const wrong = await asOwner({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: '', key: 'lower' }) });
      expect(wrong.status).toBe(400);
      const { error } = (await wrong.json()) as { error: { code: string; message: string; details: { path: string }[] } };
      expect(error.code).toBe('validation_failed');
      expect(error.message).toBe('invalid body: name, key');
      expect(error.details.map((d) => d.path)).toEqual(['name', 'key']);
      expect(await projectCount()).toBe(before);
    });

    it('answers 415 unsupported_media_type to a body that is not sent as JSON, writing nothing', async () => {
      const before = await projectCount();
      for (const contentType of ['text/plain', 'application/x-www-form-urlencoded']) {
        const response = await asOwner({ method: 'POST', headers: { 'content-type': contentType }, body: JSON.stringify({ name: 'Plain', key: 'PLAIN' }) });
        expect(response.status).toBe(415);
        expect(await response.json()).toMatchObject({ error: { code: 'unsupported_media_type' } });
      }
      expect(await projectCount()).toBe(before);
      const documented = document.paths['/api/v1/orgs/{orgId}/projects']?.post?.responses?.['415'];
      expect(documented?.content?.['application/json']?.schema).toEqual({ $ref: '#/components/schemas/Error' });
    });

    it('answers 405 method_not_allowed with Allow for a known path and another method; 404 for an unknown path', async () => {
      const response = await asOwner({ method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{}' });
      expect(response.status).toBe(405);
      expect(response.headers.get('allow')).toBe('GET, POST');
      expect(await response.json()).toMatchObject({ error: { code: 'method_not_allowed' } });
      const item = await h.app.request(`${projects()}/${crypto.randomUUID()}`, { method: 'POST', headers: { authorization: `Bearer ${h.tenantB.actors.owner.token}` } });
      expect(item.status).toBe(405);
      expect(item.headers.get('allow')).toBe('DELETE, GET, PATCH');
      const auth = await h.app.request('/api/auth/sign-in/email', { method: 'PUT' });
      expect(auth.status).toBe(405);
      expect(auth.headers.get('allow')).toBe('GET, POST');
      expect(await auth.json()).toMatchObject({ code: 'METHOD_NOT_ALLOWED' });
      const unknown = await h.app.request('/api/v1/nothing-here', { method: 'GET' });
      expect(unknown.status).toBe(404);
      expect(unknown.headers.get('allow')).toBeNull();
    });

    it('names the field of a unique violation: 409 conflict with details [{ path }]', async () => {
      const create = (body: object) => asOwner({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect((await create({ name: 'Unique one', key: 'UNIQ' })).status).toBe(201);
      const sameKey = await create({ name: 'Unique two', key: 'UNIQ' });
      expect(sameKey.status).toBe(409);
      expect(await sameKey.json()).toMatchObject({ error: { code: 'conflict', details: [{ path: 'key' }] } });
      const sameName = await create({ name: 'Unique one', key: 'UNIQB' });
      expect(await sameName.json()).toMatchObject({ error: { code: 'conflict', details: [{ path: 'name' }] } });
      const slug = await h.request(h.tenantA.actors.owner, 'POST', '/api/v1/organizations', { name: 'Taken', slug: h.tenantB.slug });
      expect(slug.status).toBe(409);
      expect(await slug.json()).toMatchObject({ error: { code: 'conflict', details: [{ path: 'slug' }] } });
    });
  });

  it("accepts the organization's slug wherever it takes its id, and resolves it to the same tenant", async () => {
    const { organizationId, slug, actors } = h.tenantB;
    const byId = await h.request(actors.viewer, 'GET', `/api/v1/orgs/${organizationId}`);
    const bySlug = await h.request(actors.viewer, 'GET', `/api/v1/orgs/${slug}`);
    expect(bySlug.status).toBe(200);
    expect(await bySlug.json()).toEqual(await byId.json());

    const created = await h.request(actors.owner, 'POST', `/api/v1/orgs/${slug}/projects`, { name: 'By slug', key: 'SLUG' });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ organizationId });
    const listed = (await (await h.request(actors.viewer, 'GET', `/api/v1/orgs/${slug}/projects`)).json()) as { items: { key: string }[] };
    expect(listed.items.map((p) => p.key)).toContain('SLUG');
    const members = await h.request(actors.viewer, 'GET', `/api/v1/orgs/${slug}/members`);
    expect(members.status).toBe(200);

    // Another organization's slug is a 404 exactly like one that does not exist.
    const outsider = await h.request(h.tenantA.actors.owner, 'GET', `/api/v1/orgs/${slug}/projects`);
    const missing = await h.request(h.tenantA.actors.owner, 'GET', '/api/v1/orgs/no-such-org/projects');
    expect([outsider.status, missing.status]).toEqual([404, 404]);
    expect(await outsider.json()).toEqual(await missing.json());
    const parameter = document.paths['/api/v1/orgs/{orgId}/projects']?.get?.parameters?.find((p) => p.name === 'orgId');
    expect(parameter?.schema).not.toHaveProperty('format');
  });

  it('keeps the typed client’s types (web/src/api/schema.d.ts) generated from the current /openapi.json', async () => {
    const ast = await openapiTS(document as unknown as Parameters<typeof openapiTS>[0]);
    // The file starts with a one-line header naming the command; the rest is openapi-typescript's output.
    const committed = readFileSync(API_TYPES, 'utf8').replace(/^\/\*.*\*\/\n\n/, '');
    expect(committed, 'stale: npm run web:api').toBe(astToString(ast));
  });

  it('serves a client generated from the document: typed paths, parameters, bodies and errors', async () => {
    const { organizationId, slug, actors } = h.tenantB;
    const client = createClient<paths>({
      baseUrl: 'http://localhost',
      headers: { authorization: `Bearer ${actors.owner.token}` },
      fetch: async (request) => h.app.request(request),
    });
    const created = await client.POST('/api/v1/orgs/{orgId}/projects', {
      params: { path: { orgId: slug } },
      body: { name: 'Typed client', key: 'TYPED' },
    });
    expect(created.response.status).toBe(201);
    const projectId: string | undefined = created.data?.id;
    expect(created.data?.organizationId).toBe(organizationId);

    const listed = await client.GET('/api/v1/orgs/{orgId}/projects', { params: { path: { orgId: organizationId }, query: { limit: 100 } } });
    expect(listed.data?.items.map((project) => project.id)).toContain(projectId);

    const role = await client.PATCH('/api/v1/orgs/{orgId}/members/{userId}', {
      params: { path: { orgId: organizationId, userId: actors.member.userId } },
      body: { role: 'viewer' },
    });
    expect(role.data?.role).toBe('viewer');

    const refused = await client.POST('/api/v1/orgs/{orgId}/projects', {
      params: { path: { orgId: organizationId } },
      body: { name: 'Typed client', key: 'TYPED' },
    });
    expect(refused.response.status).toBe(409);
    expect(refused.error?.error.code).toBe('conflict');
  });
});

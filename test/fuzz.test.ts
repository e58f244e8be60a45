/**
 * Property-based fuzzing of every operation in /openapi.json with malformed and hostile input:
 * wrong types, huge strings, SQL and JSON injection, invalid UUIDs, negative and huge numbers.
 * The server must never answer 5xx, and a 4xx must never have written anything.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiHarness, createApiHarness } from './support/api.js';
import { type JsonSchema, sampleOf } from './support/openapi-sample.js';

const HOSTILE_STRINGS = [
  "' or 1=1 --",
  "'); drop table tasks; --",
  '{"$ne": null}',
  '__proto__',
  '\u0000',
  '../../etc/passwd',
  '<script>alert(1)</script>',
  'x'.repeat(100_000),
  '00000000-0000-0000-0000-000000000000',
  'not-a-uuid',
  '-1',
  '1e309',
  '🙂'.repeat(1000),
];

const hostileString = fc.oneof(fc.constantFrom(...HOSTILE_STRINGS), fc.string({ maxLength: 300 }));
const hostileValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    hostileString,
    fc.constantFrom(-1, 0, 2 ** 31, -(2 ** 63), Number.MAX_SAFE_INTEGER, 1.5, true, null),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(hostileString, tie('value'), { maxKeys: 4 }),
  ),
})).value;

type Operation = { method: string; path: string; fields: string[]; schema?: JsonSchema };

describe('fuzzing every documented operation', () => {
  let h: ApiHarness;
  let operations: Operation[] = [];
  let schemas: Record<string, JsonSchema> = {};
  beforeAll(async () => {
    h = await createApiHarness();
    const document = (await (await h.app.request('/openapi.json')).json()) as {
      paths: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: JsonSchema }> } }>>;
      components?: { schemas?: Record<string, JsonSchema> };
    };
    schemas = document.components?.schemas ?? {};
    // Named bodies are references into components; their fields are what a client sends.
    const resolved = (schema?: JsonSchema) => (schema?.$ref ? schemas[schema.$ref.split('/').at(-1) ?? ''] : schema);
    operations = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => {
        const schema = resolved(op.requestBody?.content?.['application/json']?.schema);
        return { method: method.toUpperCase(), path, fields: Object.keys(schema?.properties ?? {}), schema };
      }),
    );
  });
  afterAll(async () => {
    await h.destroy();
  });

  /** Every tenant write leaves an audit row, and sign-ups leave users: together they reveal any write. */
  const writes = async () => {
    const [row] = await h.test.db.query<{ n: string }>(
      `select ((select count(*) from audit_logs) + (select count(*) from users) + (select count(*) from organizations))::text as n`,
    );
    return row?.n;
  };

  it('never answers 5xx and never writes on a 4xx', async () => {
    expect(operations.length).toBeGreaterThan(5);
    const owner = h.tenantA.actors.owner;
    const failures: string[] = [];
    for (const operation of operations) {
      await fc.assert(
        fc.asyncProperty(
          fc.dictionary(fc.constantFrom('id', 'projectId', 'taskId', 'orgId'), hostileString),
          fc.oneof(hostileValue, fc.record(Object.fromEntries(operation.fields.map((f) => [f, hostileValue])))),
          fc.dictionary(fc.constantFrom('limit', 'cursor', 'status', 'q', 'from', 'to'), hostileString, { maxKeys: 3 }),
          async (params, body, query) => {
            let path = operation.path.replace('{orgId}', params.orgId ?? h.tenantA.organizationId);
            path = path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(params[name] ?? crypto.randomUUID()));
            const search = new URLSearchParams(query).toString();
            const before = await writes();
            const response = await h.request(owner, operation.method, `${path}${search ? `?${search}` : ''}`,
              operation.method === 'GET' || operation.method === 'DELETE' ? undefined : body);
            await judge(operation, response, before, failures);
          },
        ),
        { numRuns: 12, seed: 20_261_122 },
      );
    }
    expect(failures).toEqual([]);
  }, 600_000);

  /** No 5xx, no write on a 4xx, and every error body is JSON (Better Auth's or ours, never empty). */
  const judge = async (operation: Operation, response: Response, before: string | undefined, failures: string[]) => {
    const label = `${operation.method} ${operation.path}`;
    if (response.status >= 500) failures.push(`${label} → ${response.status}`);
    if (response.status >= 400) {
      if ((await writes()) !== before) failures.push(`${label} wrote on ${response.status}`);
      const text = await response.text();
      let parsed: unknown = null;
      try {
        parsed = JSON.parse(text);
      } catch {
        // Reported just below.
      }
      if (typeof parsed !== 'object' || parsed === null) failures.push(`${label} → ${response.status} without a JSON body: ${text.slice(0, 80)}`);
    }
  };

  const validBody = (operation: Operation): Record<string, unknown> => {
    const resolve = (ref: string) => schemas[ref.split('/').at(-1) ?? ''] ?? {};
    const sample = operation.schema ? sampleOf(operation.schema, resolve, () => crypto.randomUUID()) : {};
    return typeof sample === 'object' && sample !== null && !Array.isArray(sample) ? (sample as Record<string, unknown>) : {};
  };
  const deep = (levels: number) => '['.repeat(levels) + ']'.repeat(levels);
  const concrete = (path: string) => path.replace('{orgId}', h.tenantA.organizationId).replace(/\{\w+\}/g, () => crypto.randomUUID());

  it('refuses 20,000 levels of JSON in every body field, and bodies over the limit, without 5xx or writes', async () => {
    const owner = h.tenantA.actors.owner;
    const failures: string[] = [];
    for (const operation of operations.filter((o) => o.fields.length > 0)) {
      for (const field of operation.fields) {
        const before = await writes();
        // A valid body but for one field, which holds the depth inside an object, as a free-form
        // field (settings, metadata, content, config) accepts it: otherwise validation refuses first.
        const valid = validBody(operation);
        const body = JSON.stringify({ ...valid, [field]: '__DEEP__' }).replace('"__DEEP__"', `{"x":${deep(20_000)}}`);
        await judge(operation, await h.request(owner, operation.method, concrete(operation.path), body), before, failures);
      }
      const before = await writes();
      const oversized = JSON.stringify(Object.fromEntries(operation.fields.map((f) => [f, 'x'.repeat(1_100_000)])));
      const response = await h.request(owner, operation.method, concrete(operation.path), oversized);
      if (response.status !== 413) failures.push(`${operation.method} ${operation.path} → ${response.status} for an oversized body`);
      await judge(operation, response, before, failures);
    }
    expect(failures).toEqual([]);
  }, 600_000);

  it("answers Better Auth's organization endpoints with junk ids in 4xx JSON", async () => {
    const owner = h.tenantA.actors.owner;
    const failures: string[] = [];
    const junk = ['.', 'nope', '', '..%2F', "' or 1=1 --", '00000000-0000-0000-0000-000000000000', 'x'.repeat(5000)];
    for (const operation of operations.filter((o) => o.path.startsWith('/api/auth/organization/'))) {
      for (const id of junk) {
        const query = new URLSearchParams({ id, organizationId: id, invitationId: id, memberId: id, organizationSlug: id }).toString();
        const body = { id, organizationId: id, invitationId: id, memberIdOrEmail: id, organizationSlug: id, slug: id, name: id, email: id, role: id };
        const before = await writes();
        const response = await h.request(owner, operation.method, `${operation.path}?${query}`, operation.method === 'GET' ? undefined : body);
        await judge(operation, response, before, failures);
      }
    }
    expect(failures).toEqual([]);
  }, 600_000);
});

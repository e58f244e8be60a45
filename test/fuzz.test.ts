/**
 * Property-based fuzzing of every operation in /openapi.json with malformed and hostile input:
 * wrong types, huge strings, SQL and JSON injection, invalid UUIDs, negative and huge numbers.
 * The server must never answer 5xx, and a 4xx must never have written anything.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiHarness, createApiHarness } from './support/api.js';

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

type Operation = { method: string; path: string; fields: string[] };

describe('fuzzing every documented operation', () => {
  let h: ApiHarness;
  let operations: Operation[] = [];
  beforeAll(async () => {
    h = await createApiHarness();
    const document = (await (await h.app.request('/openapi.json')).json()) as {
      paths: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: { properties?: object } }> } }>>;
    };
    operations = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => ({
        method: method.toUpperCase(),
        path,
        fields: Object.keys(op.requestBody?.content?.['application/json']?.schema?.properties ?? {}),
      })),
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
            if (response.status >= 500) failures.push(`${operation.method} ${operation.path} → ${response.status}`);
            if (response.status >= 400 && (await writes()) !== before) failures.push(`${operation.method} ${operation.path} wrote on ${response.status}`);
          },
        ),
        { numRuns: 12, seed: 20_261_122 },
      );
    }
    expect(failures).toEqual([]);
  }, 600_000);
});

import type { JsonSchema } from './openapi-sample.js';

/** One operation of /openapi.json, as the generated suites call it. */
export type Operation = {
  method: string;
  path: string;
  parameters?: { name: string; in: string; schema?: JsonSchema }[];
  requestBody?: { content?: Record<string, { schema: JsonSchema }> };
};

type Document = { paths: Record<string, Record<string, Operation>>; components?: { schemas?: Record<string, JsonSchema> } };

/**
 * Every operation under /orgs/{orgId} of the app's published document, and a resolver for its
 * `$ref`s: what the generated cross-tenant and project suites attack, so a new route is covered
 * the day it is documented.
 */
export async function tenantOperations(app: { request(path: string): Response | Promise<Response> }) {
  const document = (await (await app.request('/openapi.json')).json()) as Document;
  const operations = Object.entries(document.paths)
    .filter(([path]) => path.startsWith('/api/v1/orgs/{orgId}'))
    .flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ ...op, method: method.toUpperCase(), path })));
  const resolveRef = (ref: string): JsonSchema => document.components?.schemas?.[ref.split('/').pop() ?? ''] ?? {};
  return { operations, resolveRef };
}

/** The table behind a path parameter: `{id}` belongs to the segment before it, `{taskId}` to tasks. */
const SEGMENT_TABLES: Record<string, string> = { assets: 'project_assets', prompts: 'project_prompts' };
export function tableFor(path: string, param: string): string {
  const segments = path.split('/');
  if (param === 'id') {
    const at = segments.indexOf('{id}');
    const segment = segments[at - 1] ?? '';
    if (segment === 'members' && segments[at - 2] === '{projectId}') return 'project_members';
    return SEGMENT_TABLES[segment] ?? segment.replaceAll('-', '_');
  }
  const base = param.replace(/Id$/, '').replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  return SEGMENT_TABLES[base] ?? `${base}s`;
}

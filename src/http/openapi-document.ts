import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Auth } from '../auth/auth.js';
import type { AppEnv } from './env.js';
import { CHECKS_MEMBERSHIP_ITSELF } from './openapi.js';
import { authOperationId, deriveOperationId } from './operation-ids.js';

const HTTP_METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);

type PathItems = Record<string, object | undefined>;

/** A path item's entries: operations under method names, and `parameters` and the like. */
const entriesOf = (item: object | undefined): [string, unknown][] => Object.entries(item ?? {});

/**
 * Our routes and Better Auth's in one document, so every route is described in one place, with
 * an operationId on every operation and patterns a client's validator can use.
 */
export async function apiDocument(app: OpenAPIHono<AppEnv>, auth: Auth) {
  const document = app.getOpenAPI31Document({
    openapi: '3.1.0',
    info: { title: 'Tenantry API', version: '1.0.0', description: 'Multi-tenant work management. Sign in at /api/auth.' },
    security: [{ bearer: [] }],
  });
  const authDocument = await auth.api.generateOpenAPISchema();
  const authPaths: PathItems = Object.fromEntries(Object.entries(authDocument.paths).map(([path, item]) => [`/api/auth${path}`, item]));
  nameOperations(authPaths, authOperationId);
  const ownPaths = (document.paths ?? {}) as PathItems;
  nameOperations(ownPaths, (method, path, own) => own ?? deriveOperationId(method, path));
  declareMediaTypeRefusals(ownPaths);
  dropRouteProperties(ownPaths);
  return plainPatterns({
    ...document,
    paths: { ...ownPaths, ...authPaths },
    components: {
      ...document.components,
      schemas: { ...authDocument.components.schemas, ...document.components?.schemas },
    },
  });
}

function nameOperations(paths: PathItems, name: (method: string, path: string, own: string | undefined) => string): void {
  for (const [path, item] of Object.entries(paths)) {
    for (const [method, operation] of entriesOf(item)) {
      if (!HTTP_METHODS.has(method) || typeof operation !== 'object' || operation === null) continue;
      const own = 'operationId' in operation && typeof operation.operationId === 'string' ? operation.operationId : undefined;
      Object.assign(operation, { operationId: name(method, path, own) });
    }
  }
}

/** How a route checks membership (`checksMembershipItself`) is the server's business, not the API's. */
function dropRouteProperties(paths: PathItems): void {
  for (const item of Object.values(paths)) {
    for (const [, operation] of entriesOf(item)) if (typeof operation === 'object' && operation !== null) Reflect.deleteProperty(operation, CHECKS_MEMBERSHIP_ITSELF);
  }
}

const UNSUPPORTED_MEDIA_TYPE = {
  description: 'The body was not sent as application/json (`unsupported_media_type`)',
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
};

/** Every operation that takes a JSON body answers 415 to another media type (zod-openapi's gate). */
function declareMediaTypeRefusals(paths: PathItems): void {
  for (const item of Object.values(paths)) {
    for (const [, operation] of entriesOf(item)) {
      if (typeof operation !== 'object' || operation === null || !('requestBody' in operation)) continue;
      const body = operation.requestBody;
      const takesJson = typeof body === 'object' && body !== null && 'content' in body && typeof body.content === 'object' && body.content !== null && 'application/json' in body.content;
      if (takesJson && 'responses' in operation && typeof operation.responses === 'object' && operation.responses !== null) {
        Object.assign(operation.responses, { 415: UNSUPPORTED_MEDIA_TYPE });
      }
    }
  }
}

/** `…$/u` as zod-to-openapi writes a regex with flags: the source, a slash, the flags. */
const WITH_FLAGS = /^(.*[^\\])\/([dgimsuvy]+)$/s;

/**
 * A JSON Schema pattern is a bare ECMA-262 expression, matched with Unicode semantics: a `u`
 * flag adds nothing and is dropped; any other flag (`i`) would change the meaning, so such a
 * pattern is left out rather than published wrong (the server still checks it). Schemas in
 * src/ write case-insensitivity as character classes, so none is lost today.
 */
export function plainPatterns<T>(value: T): T {
  if (Array.isArray(value)) {
    value.forEach(plainPatterns);
  } else if (typeof value === 'object' && value !== null) {
    const node = value as Record<string, unknown>;
    const pattern = node.pattern;
    const flagged = typeof pattern === 'string' ? WITH_FLAGS.exec(pattern) : null;
    if (flagged) {
      if (flagged[2] === 'u') node.pattern = flagged[1];
      else delete node.pattern;
    }
    for (const child of Object.values(node)) plainPatterns(child);
  }
  return value;
}

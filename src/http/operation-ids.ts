/**
 * Names every operation of the API (`listTasks`, `getTask`, `completeSprint`) from its method and
 * path, so a new route gets an operationId without anyone remembering to write one, and a
 * generated client gets method names that read like the API. A route may still set its own
 * `operationId` in `createRoute`, which wins; `OVERRIDES` covers paths whose derivation reads badly.
 *
 * @example
 * deriveOperationId('get', '/api/v1/orgs/{orgId}/projects/{projectId}/members') // 'listProjectMembers'
 * deriveOperationId('post', '/api/v1/orgs/{orgId}/sprints/{id}/complete')        // 'completeSprint'
 */

const OVERRIDES: Record<string, string> = {
  'post /api/v1/orgs/{orgId}/projects/{projectId}/tasks/bulk': 'bulkCreateTasks',
  'post /api/v1/orgs/{orgId}/projects/{projectId}/predictions/delivery': 'forecastDelivery',
};

const ITEM_VERBS: Record<string, string> = { get: 'get', put: 'replace', patch: 'update', delete: 'delete', post: 'create' };
const COLLECTION_VERBS: Record<string, string> = { get: 'list', post: 'create', put: 'replace', patch: 'update', delete: 'delete' };

const isParam = (segment: string | undefined) => segment !== undefined && segment.startsWith('{');

const pascal = (word: string) =>
  word
    .split(/[^a-zA-Z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('');

function singular(word: string): string {
  if (word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.endsWith('s') && !word.endsWith('ss')) return word.slice(0, -1);
  return word;
}

/** Plural nouns name collections; anything else after an id is an action (archive) or a facet (content). */
const isCollection = (word: string) => word.endsWith('s') && !word.endsWith('ss');

/** The parent collection a nested path hangs from (`projects` in `projects/{projectId}/members`), as a qualifier. */
function parentOf(segments: string[], collectionIndex: number): string {
  const parent = segments[collectionIndex - 2];
  return isParam(segments[collectionIndex - 1]) && parent && !isParam(parent) ? pascal(singular(parent)) : '';
}

export function deriveOperationId(method: string, path: string): string {
  const override = OVERRIDES[`${method} ${path}`];
  if (override) return override;
  const segments = path
    .replace(/^\/api\/v1\//, '')
    .split('/')
    .filter(Boolean)
    .map((segment) => (segment === 'orgs' ? 'organizations' : segment));
  // Everything lives in an organization; naming it in every operation would say nothing.
  if (segments[0] === 'organizations' && isParam(segments[1]) && segments.length > 2) segments.splice(0, 2);
  const last = segments.length - 1;
  const lastSegment = segments[last] ?? 'root';

  if (isParam(lastSegment)) {
    const collection = segments[last - 1] ?? '';
    return `${ITEM_VERBS[method] ?? method}${parentOf(segments, last - 1)}${pascal(singular(collection))}`;
  }
  const before = segments[last - 1];
  if (isParam(before) && !isCollection(lastSegment)) {
    // `…/{id}/archive` acts on the item; `…/{id}/content` reads a facet of it.
    const item = `${parentOf(segments, last - 2)}${pascal(singular(segments[last - 2] ?? ''))}`;
    return method === 'get' ? `get${item}${pascal(lastSegment)}` : `${lastSegment.replace(/-./g, (m) => m[1]!.toUpperCase())}${item}`;
  }
  if (before !== undefined && !isParam(before)) {
    // A named view of a collection: `ai-generations/usage`.
    return `${ITEM_VERBS[method] ?? method}${pascal(singular(before))}${pascal(lastSegment)}`;
  }
  const noun = isCollection(lastSegment) ? lastSegment : singular(lastSegment);
  const verbs = isCollection(lastSegment) ? COLLECTION_VERBS : ITEM_VERBS;
  const target = method === 'post' && isCollection(lastSegment) ? singular(noun) : noun;
  return `${verbs[method] ?? method}${parentOf(segments, last)}${pascal(target)}`;
}

/** Better Auth names some of its operations and not others, and one of its names is ours too. */
export function authOperationId(method: string, path: string, own: string | undefined): string {
  return `auth${pascal(own ?? `${method} ${path.replace(/^\/api\/auth|\{[^}]+\}/g, '')}`)}`;
}

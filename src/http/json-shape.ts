import type { Context } from 'hono';
import { authErrorResponse } from '../auth/auth-error.js';
import { TenantryError } from '../errors.js';
import type { AppEnv } from './env.js';

/** How deep and how many objects and arrays a JSON body may hold. Ours are a few levels deep. */
export const JSON_SHAPE_LIMITS = { depth: 32, containers: 10_000 } as const;

export type ShapeViolation = { path: string; message: string };

/**
 * Checks nesting and container count on the raw text, in one loop with a counter, never by
 * recursion: free-form fields (settings, metadata, content, config) accept any JSON, and 20,000
 * levels of it overflowed the stack when serialised, as a 500. Names the top-level field the
 * excess is in, or `(body)`. Malformed JSON is left to the route's own parser.
 *
 * @example
 * jsonShapeViolation('{"settings":[[[[1]]]]}', { depth: 3, containers: 100 }); // { path: 'settings', … }
 */
export function jsonShapeViolation(text: string, limits: { depth: number; containers: number } = JSON_SHAPE_LIMITS): ShapeViolation | null {
  let depth = 0;
  let containers = 0;
  let inString = false;
  let stringStart = 0;
  let lastTopLevelString: string | null = null;
  let field: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const char = text.charCodeAt(i);
    if (inString) {
      if (char === BACKSLASH) i++;
      else if (char === QUOTE) {
        inString = false;
        if (depth === 1) lastTopLevelString = text.slice(stringStart, i);
      }
      continue;
    }
    if (char === QUOTE) {
      inString = true;
      stringStart = i + 1;
    } else if (char === COLON && depth === 1) {
      field = lastTopLevelString;
    } else if (char === OPEN_BRACE || char === OPEN_BRACKET) {
      depth++;
      containers++;
      const path = depth === 1 ? '(body)' : fieldPath(field);
      if (depth > limits.depth) return { path, message: `nested more than ${limits.depth} levels deep` };
      if (containers > limits.containers) return { path, message: `more than ${limits.containers} objects and arrays` };
    } else if (char === CLOSE_BRACE || char === CLOSE_BRACKET) {
      depth--;
      if (depth === 1) field = null;
    }
  }
  return null;
}

/** A key as the client wrote it, escapes decoded when they are valid JSON, cut to a readable length. */
function fieldPath(raw: string | null): string {
  if (raw === null) return '(body)';
  let key = raw;
  try {
    key = JSON.parse(`"${raw}"`) as string;
  } catch {
    // An invalid escape: the body will not parse either; name the key as written.
  }
  return key.slice(0, 100);
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/**
 * A refusal at the edge: Better Auth's `{ code, message }` under /api/auth, whose client reads
 * that shape, and our `validation_failed` everywhere else.
 */
export function refuseInput(c: Context<AppEnv>, message: string, details: ShapeViolation[]): Response {
  if (c.req.path.startsWith('/api/auth/')) return authErrorResponse(400, 'VALIDATION_ERROR', `${message} (${details.map((d) => d.path).join(', ')})`);
  throw new TenantryError('validation_failed', message, details);
}

import createClient from 'openapi-fetch';
import type { components, paths } from './schema';

/** The typed API client: same origin, the session travels in Better Auth's HttpOnly cookie. */
export const api = createClient<paths>({ baseUrl: '', credentials: 'include' });

export type Schemas = components['schemas'];
export type Role = Schemas['Member']['role'];

/** An API refusal, carrying the server's message in words so it can be shown next to what failed. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

type Result<T> = { data?: T; error?: unknown; response: Response };

/**
 * The data of an openapi-fetch result, or an ApiError with the server's message.
 *
 * @example
 * const page = await unwrap(api.GET('/api/v1/organizations'));
 */
export async function unwrap<T>(request: Promise<Result<T>>): Promise<T> {
  const { data, error, response } = await request;
  if (error !== undefined || !response.ok) throw toApiError(error, response);
  return data as T;
}

function toApiError(error: unknown, response: Response): ApiError {
  const body = (error ?? {}) as { error?: { message?: string; code?: string; details?: unknown }; message?: string; code?: string };
  // Our API says { error: { code, message } }; Better Auth says { code, message }.
  const message = body.error?.message ?? body.message ?? `The server answered ${response.status}.`;
  const code = body.error?.code ?? body.code ?? 'error';
  return new ApiError(sentence(message), response.status, code, body.error?.details);
}

function sentence(text: string): string {
  const trimmed = text.trim();
  if (trimmed === '') return trimmed;
  return trimmed[0]!.toUpperCase() + trimmed.slice(1) + (/[.!?]$/.test(trimmed) ? '' : '.');
}

/** A message for any thrown value, for the error shown beside a form or a section. */
export function messageOf(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof TypeError) return 'The server could not be reached. Check your connection and try again.';
  return 'Something went wrong. Try again.';
}

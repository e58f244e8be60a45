/** What one request did, with wall-clock times (performance.now()) so phases can be told apart. */
export type Outcome = {
  label: string;
  startedAt: number;
  endedAt: number;
  /** 0 when no response came at all (refused, reset, or the client-side timeout). */
  status: number;
  /** `error.code` of an error body, when there is one. */
  code: string | null;
  body: unknown;
  failure: string | null;
};

export type RequestSpec = { label: string; method: 'GET' | 'POST' | 'PATCH'; path: string; body?: unknown };

/**
 * One HTTP request that never throws and never waits longer than `timeoutMs`: a hang shows up
 * as an outcome with status 0, which the tests count as a failure.
 */
export async function timedRequest(baseUrl: string, token: string | null, spec: RequestSpec, timeoutMs = 15_000): Promise<Outcome> {
  const startedAt = performance.now();
  try {
    const response = await fetch(`${baseUrl}${spec.path}`, {
      method: spec.method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(spec.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(spec.body === undefined ? {} : { body: JSON.stringify(spec.body) }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    const body = parseJson(text);
    return { label: spec.label, startedAt, endedAt: performance.now(), status: response.status, code: errorCode(body), body, failure: null };
  } catch (error) {
    const failure = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return { label: spec.label, startedAt, endedAt: performance.now(), status: 0, code: null, body: null, failure };
  }
}

/** Signs in with email and password and returns the bearer token Better Auth hands out. */
export async function signIn(baseUrl: string, email: string, password: string): Promise<{ token: string; userId: string }> {
  const response = await fetch(`${baseUrl}/api/auth/sign-in/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
    signal: AbortSignal.timeout(15_000),
  });
  const token = response.headers.get('set-auth-token');
  const body = parseJson(await response.text());
  const userId = isRecord(body) && isRecord(body.user) && typeof body.user.id === 'string' ? body.user.id : null;
  if (!response.ok || !token || !userId) throw new Error(`sign-in of ${email} failed: ${response.status} ${JSON.stringify(body)}`);
  return { token, userId };
}

/** Milliseconds: how many, median, 95th percentile and slowest. */
export function latencies(outcomes: Outcome[]): { count: number; p50: number; p95: number; max: number } {
  const sorted = outcomes.map((o) => o.endedAt - o.startedAt).sort((a, b) => a - b);
  const at = (q: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0);
  return { count: sorted.length, p50: at(0.5), p95: at(0.95), max: Math.round(sorted.at(-1) ?? 0) };
}

/** Status → how many, for failure messages and the log line each test prints. */
export function statusCounts(outcomes: Outcome[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const o of outcomes) {
    const key = o.status === 0 ? `no response (${o.failure ?? '?'})` : o.code ? `${o.status} ${o.code}` : String(o.status);
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function errorCode(body: unknown): string | null {
  return isRecord(body) && isRecord(body.error) && typeof body.error.code === 'string' ? body.error.code : null;
}

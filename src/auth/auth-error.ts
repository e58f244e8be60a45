/**
 * An error in Better Auth's own shape (`{ code, message }`), which its client library reads, for
 * refusals we answer under /api/auth before Better Auth runs.
 */
export function authErrorResponse(status: number, code: string, message: string, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify({ code, message }), { status, headers: { 'content-type': 'application/json', ...headers } });
}

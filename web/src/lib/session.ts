import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError } from '../api/client';

export type SessionUser = { id: string; name: string; email: string; image?: string | null };
export type Session = { user: SessionUser; session: { id: string; expiresAt: string } };

export const sessionKey = ['session'] as const;

/**
 * Who is signed in, from Better Auth's cookie session. `/api/auth/get-session` answers 200 with
 * null when signed out, so asking never shows a refused request in the console.
 */
export async function fetchSession(): Promise<Session | null> {
  const response = await fetch('/api/auth/get-session', { credentials: 'include' });
  if (!response.ok) throw new ApiError('Could not check your session.', response.status, 'session');
  return ((await response.json()) as Session | null) ?? null;
}

export function useSession() {
  return useQuery({ queryKey: sessionKey, queryFn: fetchSession, staleTime: 60_000 });
}

type Credentials = { email: string; password: string; name?: string };

export async function postAuth(path: string, body: unknown): Promise<void> {
  const response = await fetch(`/api/auth/${path}`, {
    method: 'POST',
    credentials: 'include',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (response.ok) return;
  const payload = (await response.json().catch(() => ({}))) as { message?: string; code?: string };
  throw new ApiError(payload.message ?? `The server answered ${response.status}.`, response.status, payload.code ?? 'auth');
}

/** Sign in, sign up and sign out; each one refreshes everything cached for the previous person. */
export function useAuthActions() {
  const client = useQueryClient();
  const reset = async () => {
    client.removeQueries({ predicate: (query) => query.queryKey[0] !== sessionKey[0] });
    await client.invalidateQueries({ queryKey: sessionKey });
    await client.fetchQuery({ queryKey: sessionKey, queryFn: fetchSession });
  };
  return {
    signIn: useMutation({ mutationFn: async (input: Credentials) => postAuth('sign-in/email', input), onSuccess: reset }),
    signUp: useMutation({
      mutationFn: async (input: Credentials) => postAuth('sign-up/email', { ...input, name: input.name || input.email.split('@')[0] }),
      onSuccess: reset,
    }),
    signOut: useMutation({ mutationFn: async () => postAuth('sign-out', {}), onSuccess: reset }),
  };
}

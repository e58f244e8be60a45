import { useMutation } from '@tanstack/react-query';
import { postAuth } from '../../lib/session';

/**
 * Asks Better Auth to mail a reset link to `{BASE_URL}/reset-password?token=…`. It answers the
 * same whether or not the address has an account, so the page can only say "if it exists".
 */
export function useRequestPasswordReset() {
  return useMutation({
    mutationFn: async (email: string) => postAuth('request-password-reset', { email }),
  });
}

/** Sets a new password with the token from the reset mail; Better Auth signs the account out everywhere. */
export function useResetPassword() {
  return useMutation({
    mutationFn: async (input: { token: string; newPassword: string }) => postAuth('reset-password', input),
  });
}

/** Mails the signed-in user a new verification link; verifying it shows their invitations. */
export function useSendVerificationEmail() {
  return useMutation({
    mutationFn: async (email: string) => postAuth('send-verification-email', { email, callbackURL: '/invitations' }),
  });
}

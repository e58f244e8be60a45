import { Link, getRouteApi, useNavigate } from '@tanstack/react-router';
import { ForgotPasswordForm } from '../../features/auth/components/forgot-password-form';
import { ResetPasswordForm } from '../../features/auth/components/reset-password-form';

const resetApi = getRouteApi('/reset-password');

/** `/forgot-password`: the address to mail a reset link to. */
export function ForgotPasswordPage() {
  return (
    <section className="narrow card stack">
      <h1>Forgot your password?</h1>
      <p>Enter the email address of your account, and we mail you a link to set a new password.</p>
      <ForgotPasswordForm />
      <p>
        <Link to="/sign-in">Back to sign in</Link>
      </p>
    </section>
  );
}

/** `/reset-password?token=…`: the reset mail's link. Afterwards every session is signed out, so sign in again. */
export function ResetPasswordPage() {
  const { token } = resetApi.useSearch();
  const navigate = useNavigate();
  if (!token) {
    return (
      <section className="narrow card stack">
        <h1>Set a new password</h1>
        <p role="alert">This link has no reset token. Open the link from the mail again, or ask for a new one.</p>
        <Link to="/forgot-password">Ask for a new link</Link>
      </section>
    );
  }
  return (
    <section className="narrow card stack">
      <h1>Set a new password</h1>
      <ResetPasswordForm token={token} onDone={() => void navigate({ to: '/sign-in', search: { reset: true }, replace: true })} />
      <p>
        The link works once, for an hour. <Link to="/forgot-password">Ask for a new link</Link>
      </p>
    </section>
  );
}

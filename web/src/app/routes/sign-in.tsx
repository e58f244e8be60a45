import { Link, getRouteApi, useNavigate } from '@tanstack/react-router';
import { useEffect } from 'react';
import { Loading } from '../../components/feedback';
import { CredentialsForm } from '../../features/auth/components/credentials-form';
import { useAuthActions, useSession } from '../../lib/session';

const signInApi = getRouteApi('/sign-in');
const signUpApi = getRouteApi('/sign-up');

export function SignInPage() {
  const search = signInApi.useSearch();
  return <AuthPage mode="sign-in" redirect={search.redirect} passwordReset={search.reset === true} />;
}

export function SignUpPage() {
  return <AuthPage mode="sign-up" redirect={signUpApi.useSearch().redirect} />;
}

function AuthPage({ mode, redirect, passwordReset = false }: { mode: 'sign-in' | 'sign-up'; redirect: string | undefined; passwordReset?: boolean }) {
  const session = useSession();
  const actions = useAuthActions();
  const navigate = useNavigate();
  const mutation = mode === 'sign-in' ? actions.signIn : actions.signUp;
  const destination = redirect ?? '/';

  if (session.isPending) return <Loading />;
  // Already signed in (another tab, a reload): go where the visitor was heading.
  if (session.data) return <GoTo href={destination} />;

  return (
    <section className="narrow card">
      <h1>{mode === 'sign-in' ? 'Sign in to Tenantry' : 'Create your Tenantry account'}</h1>
      {passwordReset ? <p role="status">Your new password is set, and every session was signed out. Sign in with it.</p> : null}
      <CredentialsForm
        mode={mode}
        pending={mutation.isPending}
        error={mutation.error}
        onSubmit={(input) => mutation.mutate(input, { onSuccess: () => void navigate({ href: destination, replace: true }) })}
      />
      {mode === 'sign-in' ? (
        <p>
          <Link to="/forgot-password">Forgot your password?</Link>
        </p>
      ) : null}
      {mode === 'sign-in' ? (
        <p>
          No account yet?{' '}
          <Link to="/sign-up" search={redirect ? { redirect } : {}}>
            Sign up
          </Link>
        </p>
      ) : (
        <p>
          Already have an account?{' '}
          <Link to="/sign-in" search={redirect ? { redirect } : {}}>
            Sign in
          </Link>
        </p>
      )}
    </section>
  );
}

/** Leaves for a path given as a string (the validated `redirect`), once rendered. */
function GoTo({ href }: { href: string }) {
  const navigate = useNavigate();
  useEffect(() => void navigate({ href, replace: true }), [href, navigate]);
  return <Loading />;
}

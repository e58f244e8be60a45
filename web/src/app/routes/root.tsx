import { Link, Outlet, useNavigate } from '@tanstack/react-router';
import { ErrorText } from '../../components/feedback';
import { Initials } from '../../components/initials';
import { useMyInvitations } from '../../features/members/api';
import { useAuthActions, useSession } from '../../lib/session';

/** The frame of every page: a skip link, the header (with the account when signed in) and the page. */
export function RootLayout() {
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="app-header">
        <Link to="/" className="brand">
          <img src="/favicon.svg" alt="" width="24" height="24" />
          <span>Tenantry</span>
        </Link>
        <Account />
      </header>
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </>
  );
}

function Account() {
  const session = useSession();
  const { signOut } = useAuthActions();
  const navigate = useNavigate();
  const user = session.data?.user;
  if (!user) return null;
  return (
    <div className="account">
      <InvitationsLink />
      <span className="account-name" title={user.email}>
        <Initials name={user.name || user.email} size="sm" />
        <span className="hide-narrow">{user.name || user.email}</span>
      </span>
      <button type="button" className="button-quiet" disabled={signOut.isPending} onClick={() => signOut.mutate(undefined, { onSuccess: () => void navigate({ to: '/sign-in' }) })}>
        Sign out
      </button>
      <ErrorText error={signOut.error} />
    </div>
  );
}

/** Your open invitations, from every page, with their number when there are any. */
function InvitationsLink() {
  const invitations = useMyInvitations();
  const open = invitations.data?.items.length ?? 0;
  return (
    <Link to="/invitations" className="button-quiet" aria-label={open > 0 ? `Invitations (${open} open)` : 'Invitations'}>
      Invitations{open > 0 ? ` (${open})` : ''}
    </Link>
  );
}

import { Link, getRouteApi, useNavigate } from '@tanstack/react-router';
import { useQueryClient } from '@tanstack/react-query';
import { ErrorText, Loading } from '../../components/feedback';
import { useAcceptInvitation } from '../../features/members/api';
import { organizationsQuery } from '../../features/organizations/api';
import { useSession } from '../../lib/session';

const route = getRouteApi('/invitations/$id');

/**
 * `/invitations/{id}`: the link an admin copied. Signed out, it asks to sign in or sign up first
 * (and comes back here); signed in, one button accepts and opens the organization.
 */
export function InvitationPage() {
  const { id } = route.useParams();
  const session = useSession();
  const accept = useAcceptInvitation();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const here = `/invitations/${id}`;

  if (session.isPending) return <Loading />;
  if (!session.data) {
    return (
      <section className="narrow card stack">
        <h1>You are invited</h1>
        <p>Someone invited you to their organization on Tenantry. Sign in, or sign up with the email address the invitation was sent to; you come back here to accept.</p>
        <div className="row">
          <Link className="button button-primary" to="/sign-in" search={{ redirect: here }}>
            Sign in
          </Link>
          <Link className="button" to="/sign-up" search={{ redirect: here }}>
            Sign up
          </Link>
        </div>
      </section>
    );
  }
  return (
    <section className="narrow card stack">
      <h1>You are invited</h1>
      <p>
        Signed in as <strong>{session.data.user.email}</strong>. Accepting makes you a member of the organization that invited this address.
      </p>
      <ErrorText error={accept.error} />
      <div className="row">
        <button
          type="button"
          className="button-primary"
          disabled={accept.isPending}
          onClick={() =>
            accept.mutate(id, {
              onSuccess: (invitation) =>
                void queryClient.fetchQuery(organizationsQuery).then(async (organizations) => {
                  const org = organizations.find((candidate) => candidate.id === invitation.organizationId);
                  await navigate(org ? { to: '/$orgSlug/projects', params: { orgSlug: org.slug } } : { to: '/' });
                }),
            })
          }
        >
          Accept invitation
        </button>
        <Link to="/">Not now</Link>
      </div>
    </section>
  );
}

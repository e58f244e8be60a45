import { useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { ErrorText } from '../../components/feedback';
import { PageHeader } from '../../components/page';
import { useSendVerificationEmail } from '../../features/auth/api';
import { MyInvitations } from '../../features/members/components/my-invitations';
import { organizationsQuery } from '../../features/organizations/api';
import { useSession } from '../../lib/session';

/** `/invitations`: your open invitations; accepting one opens the organization. */
export function MyInvitationsPage() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  return (
    <section className="narrow">
      <PageHeader title="Invitations" />
      <MyInvitations
        unverified={<VerifyAddress />}
        onAccepted={(organizationId) =>
          void queryClient.fetchQuery(organizationsQuery).then(async (organizations) => {
            const org = organizations.find((candidate) => candidate.id === organizationId);
            await navigate(org ? { to: '/$orgSlug/projects', params: { orgSlug: org.slug } } : { to: '/' });
          })
        }
      />
    </section>
  );
}

/**
 * Invitations are listed only for a verified address (anyone can sign up with anyone's address);
 * until then the invitation mail's own link works, or a new verification mail can be sent.
 */
function VerifyAddress() {
  const session = useSession();
  const send = useSendVerificationEmail();
  const email = session.data?.user.email;
  return (
    <div className="card stack">
      <p>
        Your invitations are listed once your email address is verified. Follow the link in the verification mail, or open the link in the invitation mail itself.
      </p>
      {send.isSuccess ? (
        <p role="status">A verification mail is on its way to {email}.</p>
      ) : (
        <button type="button" disabled={send.isPending || !email} onClick={() => email && send.mutate(email)}>
          Send the verification mail again
        </button>
      )}
      <ErrorText error={send.error} />
    </div>
  );
}

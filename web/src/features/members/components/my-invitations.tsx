import { Link } from '@tanstack/react-router';
import { EmptyState, ErrorText, Loading } from '../../../components/feedback';
import { type MyInvitation, useAcceptInvitation, useMyInvitations } from '../api';

type Props = {
  /** Runs after an invitation is accepted, with the organization joined. */
  onAccepted: (organizationId: string) => void;
  /** Shown instead of the list while the address is unverified (a way to verify it). */
  unverified: React.ReactNode;
};

/** The signed-in person's open invitations, each accepted with one button. */
export function MyInvitations({ onAccepted, unverified }: Props) {
  const invitations = useMyInvitations();
  const accept = useAcceptInvitation();
  if (invitations.isPending) return <Loading />;
  if (invitations.isError) return <ErrorText error={invitations.error} />;
  if (!invitations.data.emailVerified) return <>{unverified}</>;
  if (invitations.data.items.length === 0) {
    return <EmptyState title="No open invitations">When someone invites your address to their organization, it shows here.</EmptyState>;
  }
  return (
    <>
      <ErrorText error={accept.error} />
      <ul className="list" aria-label="Open invitations">
        {invitations.data.items.map((invitation) => (
          <li key={invitation.id}>
            <InvitationSummary invitation={invitation} />
            <span className="row">
              <button
                type="button"
                className="button-primary"
                disabled={accept.isPending}
                aria-label={`Accept the invitation to ${invitation.organizationName}`}
                onClick={() => accept.mutate(invitation.id, { onSuccess: (accepted) => onAccepted(accepted.organizationId) })}
              >
                Accept
              </button>
              <Link to="/invitations/$id" params={{ id: invitation.id }} aria-label={`Open the invitation to ${invitation.organizationName}`}>
                Open
              </Link>
            </span>
          </li>
        ))}
      </ul>
    </>
  );
}

function InvitationSummary({ invitation }: { invitation: MyInvitation }) {
  return (
    <span>
      <strong>{invitation.organizationName}</strong>
      <br />
      <span className="muted">
        As {invitation.role}
        {invitation.inviterName ? `, invited by ${invitation.inviterName}` : ''}; open until{' '}
        <time dateTime={invitation.expiresAt}>{new Date(invitation.expiresAt).toLocaleString()}</time>
      </span>
    </span>
  );
}

import { useId, useState } from 'react';
import type { Role } from '../../../api/client';
import { CopyButton } from '../../../components/copy-button';
import { EmptyState, ErrorText, Loading } from '../../../components/feedback';
import type { Permissions } from '../../../lib/permissions';
import { type Invitation, invitationLink, useCreateInvitation, useInvitations, useRevokeInvitation } from '../api';
import { ROLE_LABELS } from './members-section';

/** Invite by email and share the link (email delivery comes later); pending invitations can be revoked. */
export function InvitationsSection({ orgId, can }: { orgId: string; can: Permissions }) {
  const headingId = useId();
  const invitations = useInvitations(orgId, can.admin);
  const pending = invitations.data?.filter((invitation) => invitation.status === 'pending') ?? [];
  return (
    <section className="section" aria-labelledby={headingId}>
      <h2 id={headingId}>Invitations</h2>
      <InviteForm orgId={orgId} can={can} />
      {invitations.isPending ? <Loading /> : null}
      <ErrorText error={invitations.error} />
      {invitations.data && pending.length === 0 ? (
        <EmptyState title="No pending invitations">Invite someone by email above, then send them the link.</EmptyState>
      ) : null}
      {pending.length > 0 ? (
        <ul className="list" aria-label="Pending invitations">
          {pending.map((invitation) => (
            <InvitationRow key={invitation.id} orgId={orgId} invitation={invitation} />
          ))}
        </ul>
      ) : null}
    </section>
  );
}

function InviteForm({ orgId, can }: { orgId: string; can: Permissions }) {
  const id = useId();
  const create = useCreateInvitation(orgId);
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('member');
  const roles = (Object.keys(ROLE_LABELS) as Role[]).filter((candidate) => candidate !== 'owner' || can.owner);
  return (
    <div className="stack">
      <form
        className="inline-form"
        onSubmit={(event) => {
          event.preventDefault();
          create.mutate({ email: email.trim(), role }, { onSuccess: () => setEmail('') });
        }}
      >
        <div className="field">
          <label htmlFor={`${id}-email`}>Email</label>
          <input id={`${id}-email`} type="email" required value={email} onChange={(event) => setEmail(event.target.value)} />
        </div>
        <div className="field field-narrow">
          <label htmlFor={`${id}-role`}>Role</label>
          <select id={`${id}-role`} value={role} onChange={(event) => setRole(event.target.value as Role)}>
            {roles.map((candidate) => (
              <option key={candidate} value={candidate}>
                {ROLE_LABELS[candidate]}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="button-primary" disabled={create.isPending}>
          Create invitation
        </button>
      </form>
      <ErrorText error={create.error} />
      {create.data ? (
        <div className="notice" role="status">
          <p>
            Invitation for <strong>{create.data.email}</strong> created. Send them this link:
          </p>
          <LinkBox id={create.data.id} />
        </div>
      ) : null}
    </div>
  );
}

function LinkBox({ id }: { id: string }) {
  const link = invitationLink(id);
  return (
    <span className="row link-box">
      <code>{link}</code>
      <CopyButton text={link} />
    </span>
  );
}

function InvitationRow({ orgId, invitation }: { orgId: string; invitation: Invitation }) {
  const revoke = useRevokeInvitation(orgId);
  return (
    <li>
      <span>
        <strong>{invitation.email}</strong> <span className="muted">as {ROLE_LABELS[invitation.role]}</span>
        <br />
        <span className="muted">Expires {new Date(invitation.expiresAt).toLocaleDateString()}</span>
      </span>
      <span className="row">
        <LinkBox id={invitation.id} />
        <button type="button" className="button-danger" disabled={revoke.isPending} onClick={() => revoke.mutate(invitation.id)}>
          Revoke
        </button>
      </span>
      <ErrorText error={revoke.error} />
    </li>
  );
}

import { useId } from 'react';
import type { Role } from '../../../api/client';
import { ErrorText, Loading } from '../../../components/feedback';
import { Initials } from '../../../components/initials';
import type { Permissions } from '../../../lib/permissions';
import { type Member, useChangeRole, useMembers, useRemoveMember } from '../api';

export const ROLE_LABELS: Record<Role, string> = { owner: 'Owner', admin: 'Admin', member: 'Member', viewer: 'Viewer' };

/** The organization's people and their roles; admins change roles and remove people, owners handle owners. */
export function MembersSection({ orgId, can, currentUserId }: { orgId: string; can: Permissions; currentUserId: string | undefined }) {
  const members = useMembers(orgId);
  const headingId = useId();
  return (
    <section className="section" aria-labelledby={headingId}>
      <h2 id={headingId}>Members</h2>
      {members.isPending ? <Loading /> : null}
      <ErrorText error={members.error} />
      {members.data ? (
        <ul className="list">
          {members.data.map((member) => (
            <MemberRow key={member.id} orgId={orgId} member={member} can={can} isYou={member.userId === currentUserId} />
          ))}
        </ul>
      ) : null}
    </section>
  );
}

function MemberRow({ orgId, member, can, isYou }: { orgId: string; member: Member; can: Permissions; isYou: boolean }) {
  const id = useId();
  const changeRole = useChangeRole(orgId);
  const remove = useRemoveMember(orgId);
  // Only an owner grants, takes away or removes the owner role; the server refuses anyone else.
  const manageable = can.admin && (member.role !== 'owner' || can.owner);
  const roles = (Object.keys(ROLE_LABELS) as Role[]).filter((role) => role !== 'owner' || can.owner);
  return (
    <li>
      <span className="row">
        <Initials name={member.name || member.email} />
        <span>
          <strong>{member.name || member.email}</strong>
          {isYou ? <span className="muted"> (you)</span> : null}
          <br />
          <span className="muted">{member.email}</span>
        </span>
      </span>
      {manageable ? (
        <span className="row">
          <label htmlFor={id} className="visually-hidden">
            Role of {member.name || member.email}
          </label>
          <select id={id} value={member.role} disabled={changeRole.isPending} onChange={(event) => changeRole.mutate({ userId: member.userId, role: event.target.value as Role })}>
            {roles.map((role) => (
              <option key={role} value={role}>
                {ROLE_LABELS[role]}
              </option>
            ))}
          </select>
          <button type="button" className="button-danger" disabled={remove.isPending} onClick={() => remove.mutate(member.userId)}>
            {isYou ? 'Leave' : `Remove ${member.name || member.email}`}
          </button>
        </span>
      ) : (
        <span className="role-badge">{ROLE_LABELS[member.role]}</span>
      )}
      <ErrorText error={changeRole.error ?? remove.error} />
    </li>
  );
}

import { useId, useState } from 'react';
import { EmptyState, ErrorText, Loading } from '../../../components/feedback';
import { Initials } from '../../../components/initials';
import { type ProjectMember, type ProjectRole, useProjectMemberActions, useProjectMembers } from '../api';

const PROJECT_ROLES: Record<ProjectRole, string> = { lead: 'Lead', contributor: 'Contributor', viewer: 'Viewer', stakeholder: 'Stakeholder' };

type Person = { userId: string; name: string; email: string };

/** Who works on the project, in which project role; admins and the project's leads add, change and remove them. */
export function ProjectMembersSection({ orgId, projectId, people, canWrite }: { orgId: string; projectId: string; people: Person[]; canWrite: boolean }) {
  const headingId = useId();
  const members = useProjectMembers(orgId, projectId);
  const actions = useProjectMemberActions(orgId, projectId);
  const inProject = new Set(members.data?.map((member) => member.userId));
  const candidates = people.filter((person) => !inProject.has(person.userId));
  return (
    <section className="section" aria-labelledby={headingId}>
      <h2 id={headingId}>Project members</h2>
      {members.isPending ? <Loading /> : null}
      <ErrorText error={members.error} />
      {members.data?.length === 0 ? (
        <EmptyState title="Nobody is on this project yet">
          {canWrite ? 'Add people from your organization below.' : "An admin or the project's lead can add people."}
        </EmptyState>
      ) : null}
      {members.data && members.data.length > 0 ? (
        <ul className="list">
          {members.data.map((member) => (
            <ProjectMemberRow key={member.id} member={member} canWrite={canWrite} actions={actions} />
          ))}
        </ul>
      ) : null}
      {canWrite && members.data ? <AddProjectMember candidates={candidates} actions={actions} /> : null}
    </section>
  );
}

type Actions = ReturnType<typeof useProjectMemberActions>;

function ProjectMemberRow({ member, canWrite, actions }: { member: ProjectMember; canWrite: boolean; actions: Actions }) {
  const id = useId();
  const who = member.name || member.email;
  return (
    <li>
      <span className="row">
        <Initials name={who} />
        <span>
          <strong>{who}</strong>
          <br />
          <span className="muted">{member.email}</span>
        </span>
      </span>
      {canWrite ? (
        <span className="row">
          <label htmlFor={id} className="visually-hidden">
            Project role of {who}
          </label>
          <select id={id} value={member.role} onChange={(event) => actions.changeRole.mutate({ userId: member.userId, role: event.target.value as ProjectRole })}>
            {(Object.keys(PROJECT_ROLES) as ProjectRole[]).map((role) => (
              <option key={role} value={role}>
                {PROJECT_ROLES[role]}
              </option>
            ))}
          </select>
          <button type="button" className="button-danger" onClick={() => actions.remove.mutate(member.userId)}>
            Remove {who} from the project
          </button>
        </span>
      ) : (
        <span className="role-badge">{PROJECT_ROLES[member.role]}</span>
      )}
    </li>
  );
}

function AddProjectMember({ candidates, actions }: { candidates: Person[]; actions: Actions }) {
  const id = useId();
  const [userId, setUserId] = useState('');
  const [role, setRole] = useState<ProjectRole>('contributor');
  if (candidates.length === 0) return <p className="muted">Everyone in the organization is on this project.</p>;
  return (
    <form
      className="inline-form add-member"
      onSubmit={(event) => {
        event.preventDefault();
        actions.add.mutate({ userId, role }, { onSuccess: () => setUserId('') });
      }}
    >
      <div className="field">
        <label htmlFor={`${id}-person`}>Person</label>
        <select id={`${id}-person`} required value={userId} onChange={(event) => setUserId(event.target.value)}>
          <option value="">Choose someone…</option>
          {candidates.map((person) => (
            <option key={person.userId} value={person.userId}>
              {person.name || person.email}
            </option>
          ))}
        </select>
      </div>
      <div className="field field-narrow">
        <label htmlFor={`${id}-role`}>Project role</label>
        <select id={`${id}-role`} value={role} onChange={(event) => setRole(event.target.value as ProjectRole)}>
          {(Object.keys(PROJECT_ROLES) as ProjectRole[]).map((value) => (
            <option key={value} value={value}>
              {PROJECT_ROLES[value]}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" disabled={actions.add.isPending}>
        Add to project
      </button>
      <ErrorText error={actions.add.error ?? actions.changeRole.error ?? actions.remove.error} />
    </form>
  );
}

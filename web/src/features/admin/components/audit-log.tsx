import { useState } from 'react';
import { EmptyState, ErrorText, Loading } from '../../../components/feedback';
import { type AuditFilter, useAuditLogs } from '../api';

/** Tables the trail records most; any other is typed in the URL (`?resourceType=…`). */
const RESOURCE_TYPES = ['tasks', 'projects', 'documents', 'sprints', 'epics', 'comments', 'members', 'invitations', 'ai_providers', 'integrations', 'organizations'];

type Props = { orgId: string; filter: AuditFilter; people: { id: string; name: string }[]; onFilter: (filter: AuditFilter) => void };

/** The audit trail with its filters (kind of record, person, period); the filters live in the URL. */
export function AuditLog({ orgId, filter, people, onFilter }: Props) {
  const log = useAuditLogs(orgId, filter);
  const entries = log.data?.pages.flatMap((page) => page.items) ?? [];
  const nameOf = (id: string | null) => (id === null ? 'System' : (people.find((person) => person.id === id)?.name ?? 'Former member'));
  return (
    <>
      <AuditFilters filter={filter} people={people} onFilter={onFilter} />
      <ErrorText error={log.error} />
      {log.isPending || log.isPlaceholderData ? <Loading label="Loading the audit log…" /> : null}
      {log.isSuccess && entries.length === 0 ? <EmptyState title="No entry matches these filters." /> : null}
      {entries.length > 0 ? (
        <div className="audit-table">
          <table>
            <caption className="visually-hidden">Audit log entries, newest first</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">Action</th>
                <th scope="col">Record</th>
                <th scope="col">Fields</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((entry) => (
                <tr key={entry.id}>
                  <td>{new Date(entry.createdAt).toLocaleString()}</td>
                  <td>{nameOf(entry.actorUserId)}</td>
                  <td>{entry.action}</td>
                  <td>{entry.resourceType}</td>
                  <td>{entry.changedFields?.join(', ') ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {log.hasNextPage ? (
        <button type="button" className="button-quiet" disabled={log.isFetchingNextPage} onClick={() => void log.fetchNextPage()}>
          Show older entries
        </button>
      ) : null}
    </>
  );
}

const dayOf = (instant?: string) => instant?.slice(0, 10) ?? '';
/** A day chosen in the form as the instant the API takes (midnight UTC); "to" is exclusive, so the end day counts whole. */
const startOf = (day: string, plusDays = 0) => (day ? new Date(Date.parse(day) + plusDays * 86_400_000).toISOString() : undefined);

function AuditFilters({ filter, people, onFilter }: Omit<Props, 'orgId'>) {
  const [from, setFrom] = useState(dayOf(filter.from));
  const [to, setTo] = useState(filter.to ? dayOf(new Date(Date.parse(filter.to) - 86_400_000).toISOString()) : '');
  const types = filter.resourceType && !RESOURCE_TYPES.includes(filter.resourceType) ? [filter.resourceType, ...RESOURCE_TYPES] : RESOURCE_TYPES;
  return (
    <form
      className="audit-filters"
      aria-label="Filter the audit log"
      onSubmit={(event) => {
        event.preventDefault();
        onFilter({ ...filter, from: startOf(from), to: startOf(to, 1) });
      }}
    >
      <label className="field">
        Record type
        <select value={filter.resourceType ?? ''} onChange={(event) => onFilter({ ...filter, resourceType: event.target.value || undefined })}>
          <option value="">Any</option>
          {types.map((type) => (
            <option key={type} value={type}>
              {type}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        Person
        <select value={filter.actorId ?? ''} onChange={(event) => onFilter({ ...filter, actorId: event.target.value || undefined })}>
          <option value="">Anyone</option>
          {people.map((person) => (
            <option key={person.id} value={person.id}>
              {person.name}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        From
        <input type="date" value={from} onChange={(event) => setFrom(event.target.value)} />
      </label>
      <label className="field">
        Until
        <input type="date" value={to} onChange={(event) => setTo(event.target.value)} />
      </label>
      <button type="submit" className="button-quiet">
        Apply dates
      </button>
    </form>
  );
}

import { useId } from 'react';
import type { Schemas } from '../../../api/client';

type Props = { current: Schemas['Organization']; organizations: Schemas['Organization'][]; onSwitch: (slug: string) => void; onCreate: () => void };

const NEW = '__new__';

/** A native select: keyboard, screen readers and phones handle it without help. */
export function OrgSwitcher({ current, organizations, onSwitch, onCreate }: Props) {
  const id = useId();
  return (
    <div className="org-switcher">
      <label htmlFor={id} className="visually-hidden">
        Current organization
      </label>
      <select
        id={id}
        value={current.slug}
        onChange={(event) => (event.target.value === NEW ? onCreate() : onSwitch(event.target.value))}
      >
        {organizations.map((org) => (
          <option key={org.id} value={org.slug}>
            {org.name}
          </option>
        ))}
        <option value={NEW}>+ New organization…</option>
      </select>
    </div>
  );
}

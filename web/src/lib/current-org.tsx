import { createContext, useContext } from 'react';
import type { Schemas } from '../api/client';
import { type Permissions, permissionsOf } from './permissions';

export type CurrentOrg = { org: Schemas['Organization']; can: Permissions };

const CurrentOrgContext = createContext<CurrentOrg | null>(null);

/** Provided by the `/$orgSlug` layout once the slug is resolved to one of the caller's organizations. */
export function CurrentOrgProvider({ org, children }: { org: Schemas['Organization']; children: React.ReactNode }) {
  return <CurrentOrgContext.Provider value={{ org, can: permissionsOf(org.role) }}>{children}</CurrentOrgContext.Provider>;
}

/**
 * The organization of the current URL and what the caller may do in it. Use `org.id` in API
 * paths and `org.slug` in links.
 *
 * @example
 * const { org, can } = useCurrentOrg();
 * if (can.write) …
 */
export function useCurrentOrg(): CurrentOrg {
  const value = useContext(CurrentOrgContext);
  if (!value) throw new Error('useCurrentOrg is used outside the /$orgSlug layout');
  return value;
}

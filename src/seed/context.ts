import type { SeedClock } from './clock.js';
import { type DemoOrganization, personIn } from './content/organizations.js';
import type { Slot } from './content/projects.js';
import type { DataKeys } from './data-keys.js';
import { userIdOf } from './demo-users.js';
import { seedId } from './ids.js';
import type { SeedWriter } from './writer.js';

/** Everything the per-organization seed steps share. */
export type OrganizationSeed = {
  organization: DemoOrganization;
  /** The organization's seeded id. */
  id: string;
  writer: SeedWriter;
  keys: DataKeys;
  clock: SeedClock;
  /** The user id of whoever fills `slot` in this organization. */
  user(slot: Slot): string;
  /** A stable id for a row of this organization, e.g. `rowId('task', 'WEB', 3)`. */
  rowId(...parts: (string | number)[]): string;
};

export function organizationSeed(
  organization: DemoOrganization,
  writer: SeedWriter,
  keys: DataKeys,
  clock: SeedClock,
): OrganizationSeed {
  return {
    organization,
    id: seedId('organization', organization.slug),
    writer,
    keys,
    clock,
    user: (slot) => userIdOf(personIn(organization, slot)),
    rowId: (...parts) => seedId(organization.slug, ...parts),
  };
}

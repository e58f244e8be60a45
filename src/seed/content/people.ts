/** A demo user. Passwords are public on purpose: they are printed by `tenantry db seed`. */
export type DemoPerson = {
  email: string;
  password: string;
  firstName: string;
  lastName: string;
  username: string;
  jobTitle: string;
  timezone: string;
  language: string;
  theme: 'light' | 'dark' | 'system';
};

export const MEMBER_ROLES = ['owner', 'admin', 'member', 'viewer'] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];

function person(email: string, password: string, fullName: string, jobTitle: string, extra: Partial<DemoPerson> = {}): DemoPerson {
  const [firstName = fullName, ...rest] = fullName.split(' ');
  return {
    email,
    password,
    firstName,
    lastName: rest.join(' '),
    username: email.split('@')[0]?.replace(/[^a-z0-9]+/g, '_') ?? email,
    jobTitle,
    timezone: 'Europe/Berlin',
    language: 'en',
    theme: 'system',
    ...extra,
  };
}

/** Belongs to both organizations, with a different role in each: the "list my organizations" case. */
export const CONSULTANT = person('sam.rivera@consulting.example', 'demo-consultant', 'Sam Rivera', 'Delivery consultant', {
  username: 'sam_rivera',
  timezone: 'America/New_York',
  theme: 'dark',
});

export const ACME_PEOPLE = {
  owner: person('ada.okafor@acme.example', 'demo-acme-owner', 'Ada Okafor', 'CEO', { theme: 'dark' }),
  admin: person('ben.hartmann@acme.example', 'demo-acme-admin', 'Ben Hartmann', 'Engineering manager', { language: 'de' }),
  member: person('chloe.nguyen@acme.example', 'demo-acme-member', 'Chloe Nguyen', 'Firmware engineer'),
  viewer: person('dev.patel@acme.example', 'demo-acme-viewer', 'Dev Patel', 'Account executive', { theme: 'light' }),
} satisfies Record<MemberRole, DemoPerson>;

export const GLOBEX_PEOPLE = {
  owner: person('hank.scorpio@globex.example', 'demo-globex-owner', 'Hank Scorpio', 'Founder', { timezone: 'America/Los_Angeles' }),
  admin: person('irene.adler@globex.example', 'demo-globex-admin', 'Irene Adler', 'Head of platform', { timezone: 'Europe/London' }),
  member: person('jon.baptiste@globex.example', 'demo-globex-member', 'Jon Baptiste', 'Data engineer', { timezone: 'Europe/London' }),
  viewer: person('kara.lind@globex.example', 'demo-globex-viewer', 'Kara Lind', 'Compliance officer', { language: 'sv', timezone: 'Europe/Stockholm' }),
} satisfies Record<MemberRole, DemoPerson>;

export const ALL_PEOPLE: DemoPerson[] = [...Object.values(ACME_PEOPLE), ...Object.values(GLOBEX_PEOPLE), CONSULTANT];

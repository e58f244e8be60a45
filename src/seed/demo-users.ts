import { hashPassword } from 'better-auth/crypto';
import { ALL_PEOPLE, type DemoPerson } from './content/people.js';
import { seedId } from './ids.js';
import { type SeedWriter, jsonb } from './writer.js';

/** The seeded user id of `person`. */
export function userIdOf(person: DemoPerson): string {
  return seedId('user', person.email);
}

/**
 * The demo users as Better Auth stores them: a `users` row, a `credential` account whose
 * `account_id` is the user id and whose password is Better Auth's own hash, and a profile.
 * Passwords are hashed only for accounts that do not exist yet, so a second run does no
 * (slow, salted, never-equal) hashing and changes nothing.
 */
export async function seedDemoUsers(writer: SeedWriter): Promise<void> {
  await writer.insert(
    'users',
    ALL_PEOPLE.map((person) => ({
      id: userIdOf(person),
      name: `${person.firstName} ${person.lastName}`,
      email: person.email,
      email_verified: true,
      username: person.username,
      display_username: person.username,
      status: 'active',
      role: 'user',
      language: person.language,
      onboarding_completed: true,
      first_name: person.firstName,
      last_name: person.lastName,
    })),
  );

  await writer.requireIds('users', new Map(ALL_PEOPLE.map((person) => [userIdOf(person), `user ${person.email}`])));

  const accountIds = ALL_PEOPLE.map((person) => seedId('account', person.email));
  const existing = await writer.existingIds('accounts', accountIds);
  const missing = ALL_PEOPLE.filter((person) => !existing.has(seedId('account', person.email)));
  const accounts = await Promise.all(
    missing.map(async (person) => ({
      id: seedId('account', person.email),
      user_id: userIdOf(person),
      account_id: userIdOf(person),
      provider_id: 'credential',
      password: await hashPassword(person.password),
    })),
  );
  await writer.insert('accounts', accounts);

  await writer.insert(
    'user_profiles',
    ALL_PEOPLE.map((person) => ({
      user_id: userIdOf(person),
      bio: `${person.jobTitle}. Demo account created by tenantry db seed.`,
      // No avatar: the web app loads nothing from other hosts and shows initials instead.
      avatar_url: null,
      timezone: person.timezone,
      job_title: person.jobTitle,
      preferences: jsonb({
        theme: person.theme,
        notifications: { email: true, push: false, inApp: true },
        locale: person.language,
        weekStartsOn: person.timezone.startsWith('America/') ? 0 : 1,
      }),
    })),
  );
}

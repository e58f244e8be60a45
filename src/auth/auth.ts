import { betterAuth } from 'better-auth';
import { drizzleAdapter } from 'better-auth/adapters/drizzle';
import { admin, bearer, openAPI, organization } from 'better-auth/plugins';
import type { Database } from '../db/connection.js';
import * as schema from '../db/schema/index.js';
import { recordAuthEvent } from './auth-events.js';

export type AuthOptions = {
  db: Database;
  secret: string;
  baseUrl: string;
  /** 0 turns Better Auth's own request limiter off (tests); our failed-sign-in limit stays on. */
  signInPerMinute?: number;
};

/**
 * The header Better Auth reads the client's address from. auth-trail.ts sets it to the address
 * src/http/client-address.ts resolved (the trusted-proxy rule) and drops whatever a client sent;
 * Better Auth's default, X-Forwarded-For, is whatever the client wants it to be.
 */
export const CLIENT_ADDRESS_HEADER = 'x-tenantry-client-address';

/**
 * Better Auth on our own tables: email and password, cookie sessions for browsers, bearer
 * tokens for API clients, organizations with members and invitations, and admin (bans,
 * impersonation). It needs to see every tenant's memberships, so it uses the connection as
 * configured (a superuser in development, a BYPASSRLS role in production), never withTenant.
 */
export function createAuth(options: AuthOptions) {
  return betterAuth({
    secret: options.secret,
    baseURL: options.baseUrl,
    basePath: '/api/auth',
    database: drizzleAdapter(options.db.orm, { provider: 'pg', schema, usePlural: true }),
    advanced: { database: { generateId: 'uuid' }, ipAddress: { ipAddressHeaders: [CLIENT_ADDRESS_HEADER] } },
    emailAndPassword: { enabled: true, minPasswordLength: 8 },
    session: { expiresIn: 60 * 60 * 24 * 7, updateAge: 60 * 60 * 24 },
    rateLimit: {
      enabled: options.signInPerMinute !== 0,
      storage: 'memory',
      window: 60,
      max: 300,
      // Sign-in is limited by failures, per address and per account, in PostgreSQL
      // (sign-in-limit.ts). Better Auth's limiter counts every request, successes included, so
      // a user who signs in often would be locked out; off for sign-in, kept for the rest.
      customRules: { '/sign-in/email': false },
    },
    plugins: [
      // Describes the auth routes; app.ts merges them into /openapi.json next to ours.
      openAPI({ disableDefaultReference: true }),
      bearer(),
      admin(),
      organization({
        invitationExpiresIn: 60 * 60 * 48,
        creatorRole: 'owner',
      }),
    ],
    databaseHooks: {
      session: {
        create: {
          after: async (session) => {
            await recordAuthEvent(options.db, {
              action: 'auth.sign_in',
              userId: session.userId,
              ipAddress: session.ipAddress ?? null,
              userAgent: session.userAgent ?? null,
            });
          },
        },
      },
    },
  });
}

export type Auth = ReturnType<typeof createAuth>;

import { betterAuth } from 'better-auth';
import { drizzleAdapter } from 'better-auth/adapters/drizzle';
import { admin, bearer, openAPI, organization } from 'better-auth/plugins';
import type { Database } from '../db/connection.js';
import * as schema from '../db/schema/index.js';
import { queueAccountMail } from './account-mail.js';
import { recordAuthEvent } from './auth-events.js';
import { copyPersonToMemberships, isPerson } from './member-names.js';
import { requestLimitStorage } from './request-limit.js';

export type AuthOptions = {
  db: Database;
  secret: string;
  baseUrl: string;
  /** 0 turns Better Auth's own request limiter off (tests); our failed-sign-in limit stays on. */
  signInPerMinute?: number;
  /** False when no mail can go out (production without SMTP_URL): no verification mail on sign-up. */
  mail?: boolean;
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
    emailAndPassword: {
      enabled: true,
      minPasswordLength: 8,
      // The link opens the web app's page, which posts the token to /api/auth/reset-password.
      sendResetPassword: async ({ user, token }) => {
        await queueAccountMail(options.db, user, 'reset-password', `${options.baseUrl}/reset-password?token=${encodeURIComponent(token)}`);
      },
      resetPasswordTokenExpiresIn: 60 * 60,
      revokeSessionsOnPasswordReset: true,
    },
    // Verification is offered, not required to sign in: an invitation's link proves the address
    // by itself (src/features/invitations), and a laptop without mail must still work.
    emailVerification: {
      sendOnSignUp: options.mail !== false,
      autoSignInAfterVerification: true,
      sendVerificationEmail: async ({ user, url }) => {
        await queueAccountMail(options.db, user, 'verify-email', url);
      },
    },
    session: { expiresIn: 60 * 60 * 24 * 7, updateAge: 60 * 60 * 24 },
    rateLimit: {
      enabled: options.signInPerMinute !== 0,
      // In PostgreSQL, so the limits hold across server processes (request-limit.ts).
      customStorage: requestLimitStorage(options.db),
      window: 60,
      max: 300,
      // Sign-in is limited by failures, per address and per account, in PostgreSQL
      // (sign-in-limit.ts). Better Auth's limiter counts every request, successes included, so
      // a user who signs in often would be locked out; off for sign-in, kept for the rest.
      customRules: {
        '/sign-in/email': false,
        // Each sends mail: a few per address and minute here, and per recipient and hour in
        // account-mail.ts; both counted in PostgreSQL, which every process shares.
        '/request-password-reset': { window: 60, max: 3 },
        '/send-verification-email': { window: 60, max: 3 },
      },
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
      // Task reads show the members' copy of a person's name and image (migration 0038).
      user: {
        update: {
          after: async (user) => {
            if (isPerson(user)) await copyPersonToMemberships(options.db, user);
          },
        },
      },
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

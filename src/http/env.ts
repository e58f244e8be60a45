import type { Logger } from 'pino';
import type { Role } from '../auth/permissions.js';
import type { RequestClient } from './client-address.js';

/** What the tenant middleware proves before a handler runs. */
export type TenantScope = {
  organizationId: string;
  userId: string;
  role: Role;
};

/** Hono's per-request variables, typed once for every route. */
export type AppEnv = {
  Variables: {
    requestId: string;
    /** The process's logger; lines about the request go through requestLogger(c), which stamps its id. */
    logger: Logger;
    userId: string | null;
    tenant: TenantScope;
    /** The client's address (trusted-proxy rule applied) and user agent. */
    client: RequestClient;
  };
};

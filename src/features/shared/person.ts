import { z } from '@hono/zod-openapi';

/** Someone a task or comment names: enough to show them without a second request. */
export const Person = z
  .object({ id: z.uuid().describe('The user id'), name: z.string(), image: z.string().nullable() })
  .openapi('Person');

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiHarness, createApiHarness } from '../../test/support/api.js';

describe('sign-in rate limit', () => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await createApiHarness({ signInPerMinute: 3 });
  });
  afterAll(async () => {
    await h.destroy();
  });

  it('answers 429 once an address has used up its attempts for the minute', async () => {
    const attempt = (ip: string) =>
      h.app.request('/api/auth/sign-in/email', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': ip },
        body: JSON.stringify({ email: h.tenantA.actors.owner.email, password: 'guessing-password' }),
      });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await attempt('198.51.100.9')).status);
    expect(statuses.slice(0, 3)).toEqual([401, 401, 401]);
    expect(statuses.slice(3)).toEqual([429, 429]);
    // Another address is not punished for the first one's guessing.
    expect((await attempt('198.51.100.10')).status).toBe(401);
  });
});

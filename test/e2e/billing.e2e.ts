import { describe, expect, it } from 'vitest';
import { axeCheck } from './support/axe.js';
import { DEMO, signIn } from './support/actions.js';
import { useE2E } from './support/harness.js';

const e2e = useE2E();

// The suite's server runs with BILLING_MODE=none (the self-hosted default). Stripe mode's
// Checkout and Portal buttons leave for Stripe's own pages, which a test cannot reach; the API
// side of both is tested against a local Stripe double (src/features/billing/stripe.test.ts).
describe('plan changes (BILLING_MODE=none)', () => {
  it('refuses a plan too small at once, schedules it for the end of the period instead, and cancels that', async () => {
    const page = await e2e.newPage();
    await signIn(page, e2e.baseUrl, DEMO.acme.owner);
    // More projects than the free plan's 3, so a move to it at once breaks a cap.
    for (const key of ['BILA', 'BILB', 'BILC', 'BILD']) {
      expect((await page.request.post(`${e2e.baseUrl}/api/v1/orgs/acme/projects`, { data: { name: `Billing ${key}`, key } })).status()).toBe(201);
    }
    await page.goto(`${e2e.baseUrl}/acme/settings`);
    const plan = page.getByRole('region', { name: 'Plan and usage' });
    const form = plan.getByRole('form', { name: 'Change plan' });
    await form.getByLabel('New plan').selectOption({ label: 'Free (free)' });

    e2e.allowConsoleError(/status of 403/);
    await form.getByRole('button', { name: 'Change plan' }).click();
    await form.getByRole('alert').waitFor();
    expect(await form.getByRole('alert').textContent()).toMatch(/too small/);

    await form.getByRole('button', { name: 'Change at the end of the period' }).click();
    const scheduled = plan.getByRole('status').filter({ hasText: 'Moves to Free on' });
    await scheduled.waitFor();
    await axeCheck(page, 'plan with a scheduled change');
    const subscription = await page.request.get(`${e2e.baseUrl}/api/v1/orgs/acme/subscription`);
    expect(await subscription.json()).toMatchObject({ plan: { code: 'pro' }, scheduledChange: { plan: { code: 'free' } }, billingMode: 'none' });

    await scheduled.getByRole('button', { name: 'Cancel scheduled change' }).click();
    await scheduled.waitFor({ state: 'detached' });
    expect(await (await page.request.get(`${e2e.baseUrl}/api/v1/orgs/acme/subscription`)).json()).toMatchObject({ scheduledChange: null });
  });

  it('shows plan controls to owners only', async () => {
    const page = await e2e.newPage();
    await signIn(page, e2e.baseUrl, DEMO.acme.admin);
    await page.goto(`${e2e.baseUrl}/acme/settings`);
    await page.getByRole('region', { name: 'Plan and usage' }).getByRole('table').waitFor();
    expect(await page.getByRole('form', { name: 'Change plan' }).count()).toBe(0);
  });
});

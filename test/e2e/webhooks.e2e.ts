import { describe, expect, it } from 'vitest';
import { DEMO, signIn } from './support/actions.js';
import { axeCheck } from './support/axe.js';
import { useE2E } from './support/harness.js';

const e2e = useE2E();

describe('webhooks', () => {
  it('lets an admin subscribe a URL, shows its signing secret once, and lists it', async () => {
    const page = await e2e.newPage();
    await signIn(page, e2e.baseUrl, DEMO.acme.admin);
    await page.goto(`${e2e.baseUrl}/acme/settings/ai`);
    await page.getByRole('heading', { level: 2, name: 'Webhooks' }).waitFor();
    await page.getByRole('button', { name: 'Add webhook' }).click();
    await page.getByRole('textbox', { name: 'Receiver URL' }).fill('https://hooks.e2e.example/tenantry');
    await page.getByRole('checkbox', { name: 'comment.created' }).check();
    const created = page.waitForResponse((response) => response.url().endsWith('/webhooks') && response.request().method() === 'POST');
    await page.getByRole('button', { name: 'Save webhook' }).click();
    const { secret } = (await (await created).json()) as { secret: string };
    const shown = page.getByRole('status').filter({ hasText: 'shown this once' });
    await shown.waitFor();
    expect(await shown.textContent()).toContain(secret);
    await axeCheck(page, 'webhooks');
    await page.getByRole('button', { name: 'Done' }).click();
    const row = page.getByRole('list', { name: 'Webhooks' }).getByRole('listitem').filter({ hasText: 'https://hooks.e2e.example/tenantry' });
    await row.waitFor();
    expect(await row.textContent()).toContain('task.created, comment.created');
    await page.reload();
    await row.waitFor();
    expect(await page.content()).not.toContain(secret);

    // The demo subscription's log: its one delivery, sent again as a new one.
    await page.getByRole('combobox', { name: 'Webhook' }).selectOption({ label: 'https://hooks.acme.example/tenantry' });
    const log = page.getByRole('list', { name: 'Deliveries' });
    await log.getByRole('listitem').filter({ hasText: 'task.updated · succeeded' }).waitFor();
    const redelivered = page.waitForResponse((response) => response.url().endsWith('/deliveries') && response.request().method() === 'POST');
    await page.getByRole('button', { name: /^Redeliver task\.updated/ }).click();
    expect((await redelivered).status()).toBe(201);
    await log.getByRole('listitem').filter({ hasText: 'task.updated · pending' }).waitFor();
    expect(await log.getByRole('listitem').count()).toBe(2);
  });
});

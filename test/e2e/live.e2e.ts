import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DEMO, signIn } from './support/actions.js';
import { axeCheck } from './support/axe.js';
import { useE2E } from './support/harness.js';

const e2e = useE2E();
const BOARD = '/acme/projects/ACME';

async function openTask(page: Page, ref: string) {
  await page.goto(`${e2e.baseUrl}/acme/tasks/${ref}`);
  await page.getByRole('heading', { level: 1, name: new RegExp(`^${ref}`) }).waitFor();
}

describe('live updates and notifications', () => {
  it('shows a change made in one browser on the board open in another, without a reload', async () => {
    const [owner, member] = [await e2e.newPage(), await e2e.newPage()];
    await signIn(owner, e2e.baseUrl, DEMO.acme.owner);
    await signIn(member, e2e.baseUrl, DEMO.acme.member);
    await member.goto(`${e2e.baseUrl}${BOARD}`);
    await member.getByRole('heading', { level: 1 }).waitFor();
    let reloads = 0;
    member.on('load', () => (reloads += 1));

    await openTask(owner, 'ACME-6');
    const title = `Renamed live ${Date.now()}`;
    await owner.getByRole('textbox', { name: 'Title' }).fill(title);
    await owner.getByRole('textbox', { name: 'Title' }).press('Enter');

    await member.getByRole('link', { name: new RegExp(title) }).waitFor({ timeout: 10_000 });
    expect(reloads).toBe(0);
  });

  it('delivers a mention to the inbox while it is open, counts it unread, and marks it read', async () => {
    const [owner, member] = [await e2e.newPage(), await e2e.newPage()];
    await signIn(owner, e2e.baseUrl, DEMO.acme.owner);
    await signIn(member, e2e.baseUrl, DEMO.acme.member);
    await member.goto(`${e2e.baseUrl}/acme/inbox`);
    await member.getByRole('heading', { name: 'Notifications' }).waitFor();
    // Starts from an empty count: the demo gives the member unread notifications.
    await member.getByText(/^\d+ unread$/).waitFor();
    const markAll = member.getByRole('button', { name: 'Mark all read' });
    if (await markAll.isEnabled()) await markAll.click();
    await member.getByText('0 unread').waitFor();

    await openTask(owner, 'ACME-7');
    await owner.getByRole('textbox', { name: 'Comment' }).fill(`@${DEMO.acme.member.username} can you take a look?`);
    await owner.getByRole('button', { name: 'Comment', exact: true }).click();

    const item = member.getByRole('list', { name: 'Notifications' }).getByRole('listitem').filter({ hasText: 'mentioned you in' }).first();
    await item.waitFor({ timeout: 10_000 });
    expect(await item.textContent()).toContain('Ada Okafor');
    expect(await item.getByRole('link', { name: /^ACME-7/ }).count()).toBe(1);
    await member.getByRole('link', { name: /Inbox 1 unread/ }).waitFor();
    await axeCheck(member);

    await item.getByRole('button', { name: /^Mark read/ }).click();
    await member.getByText('0 unread').waitFor();
    await member.getByRole('link', { name: 'Inbox', exact: true }).waitFor();
  });

  it('lets a person watch and stop watching a task, and choose how they hear of each event', async () => {
    const page = await e2e.newPage();
    await signIn(page, e2e.baseUrl, DEMO.acme.viewer);
    await openTask(page, 'ACME-8');
    const toggle = page.getByRole('button', { name: /^Watch/ });
    const pressed = await toggle.getAttribute('aria-pressed');
    await toggle.click();
    await page.getByRole('button', { name: pressed === 'true' ? 'Watch' : 'Watching', exact: true }).waitFor();
    expect(await toggle.getAttribute('aria-pressed')).toBe(pressed === 'true' ? 'false' : 'true');

    await page.goto(`${e2e.baseUrl}/acme/inbox`);
    const mentions = page.getByRole('combobox', { name: 'Someone mentions me' });
    const saved = page.waitForResponse((response) => response.url().endsWith('/notification-preferences') && response.request().method() === 'PUT');
    await mentions.selectOption('email');
    expect((await saved).status()).toBe(200);
    await page.reload();
    expect(await page.getByRole('combobox', { name: 'Someone mentions me' }).inputValue()).toBe('email');
  });
});

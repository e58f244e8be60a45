import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DEMO, PHONE, expectNoSidewaysScroll, signIn, writeControls } from './support/actions.js';
import { axeCheck } from './support/axe.js';
import { useE2E } from './support/harness.js';

const e2e = useE2E();
const ACTIVITY = '/acme/projects/ACME/activity';

const feed = (page: Page) => page.getByRole('list').filter({ has: page.locator('li[data-shortcut-item]') });
const entries = (page: Page) => feed(page).getByRole('listitem');
const focusedText = (page: Page) => page.evaluate<string>('document.activeElement?.textContent ?? ""');

describe('project activity', () => {
  it('shows a member who did what in the project, newest first, reachable by its tab and walked with j/k', async () => {
    const page = await e2e.newPage();
    await signIn(page, e2e.baseUrl, DEMO.acme.member);
    await page.goto(`${e2e.baseUrl}/acme/projects/ACME`);
    // The tab, from the keyboard.
    const tab = page.getByRole('navigation', { name: 'Project' }).getByRole('link', { name: 'Activity' });
    await tab.focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(`${e2e.baseUrl}${ACTIVITY}`);
    await page.getByRole('heading', { level: 1, name: /^Activity: .*\(ACME\)$/ }).waitFor();

    // A comment made now is the newest entry, linked to its task, and the comment's words are not in it.
    const words = `activity check ${Date.now()}`;
    const comment = await page.request.post(`${e2e.baseUrl}/api/v1/orgs/acme/tasks/ACME-3/comments`, { data: { body: words } });
    expect(comment.status()).toBe(201);
    await page.reload();
    const newest = entries(page).first();
    await expect.poll(async () => newest.textContent()).toMatch(/commented on task ACME-3/);
    expect(await newest.getByRole('link', { name: /^ACME-3\b/ }).getAttribute('href')).toBe('/acme/tasks/ACME-3');
    expect(await feed(page).textContent()).not.toContain(words);
    expect(await entries(page).count()).toBeGreaterThan(5);

    await page.getByRole('heading', { level: 1 }).click();
    // Focus moves after the list re-renders, so each step is awaited rather than read at once.
    await page.keyboard.press('j');
    await expect.poll(() => focusedText(page)).toMatch(/commented on task ACME-3/);
    await page.keyboard.press('j');
    await expect.poll(() => focusedText(page)).not.toMatch(/commented on task ACME-3 /);
    await page.keyboard.press('k');
    await expect.poll(() => focusedText(page)).toMatch(/commented on task ACME-3/);
    await axeCheck(page, 'activity');
    await e2e.screenshot(page, 'activity');
  });

  it('shows a viewer the same activity with nothing to change, and works at phone width', async () => {
    const page = await e2e.newPage(PHONE);
    await signIn(page, e2e.baseUrl, DEMO.acme.viewer);
    await page.goto(`${e2e.baseUrl}${ACTIVITY}`);
    await page.getByRole('heading', { level: 1, name: /^Activity: / }).waitFor();
    await entries(page).first().waitFor();
    expect(await entries(page).count()).toBeGreaterThan(5);
    expect(await writeControls(page)).toEqual([]);
    await expectNoSidewaysScroll(page);
    await axeCheck(page, 'activity at phone width');
  });

  it('shows another tenant nothing at the pasted URL, nor through the API', async () => {
    const member = await e2e.newPage();
    await signIn(member, e2e.baseUrl, DEMO.acme.member);
    const { items } = (await (await member.request.get(`${e2e.baseUrl}/api/v1/orgs/acme/projects?limit=100`)).json()) as { items: { id: string; key: string }[] };
    const acmeProject = items.find((project) => project.key === 'ACME')!.id;

    const outsider = await e2e.newPage();
    await signIn(outsider, e2e.baseUrl, DEMO.globex.owner);
    await outsider.goto(`${e2e.baseUrl}${ACTIVITY}`);
    await outsider.getByRole('heading', { level: 1, name: /not found/i }).waitFor();
    expect(await outsider.locator('li[data-shortcut-item]').count()).toBe(0);
    // Acme's project id under Globex's own organization: not found, like a project that does not exist.
    const response = await outsider.request.get(`${e2e.baseUrl}/api/v1/orgs/globex/projects/${acmeProject}/activity`);
    expect(response.status()).toBe(404);
    expect(await response.text()).not.toContain('ACME-');
  });
});

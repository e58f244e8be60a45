import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DEMO, PHONE, expectNoSidewaysScroll, signIn, writeControls } from './support/actions.js';
import { axeCheck } from './support/axe.js';
import { useE2E } from './support/harness.js';
import { keyboardDrag, mouseDrag } from './support/drag.js';

const e2e = useE2E();
const BOARD = '/acme/projects/ACME';
const COLUMNS = ['To do', 'In progress', 'In review', 'Done', 'Canceled'] as const;
type Column = (typeof COLUMNS)[number];

const column = (page: Page, name: Column) => page.getByRole('list', { name: new RegExp(`^${name}\\b`) });
const cards = (page: Page, name: Column) => column(page, name).getByRole('link');

/** The references of a column's cards, top to bottom (each card's name starts with one). */
async function refsIn(page: Page, name: Column): Promise<string[]> {
  return (await cards(page, name).allTextContents()).map((text) => /^(ACME-\d+)/.exec(text)?.[1] ?? `? ${text}`);
}

async function board(page: Page): Promise<Record<Column, string[]>> {
  const entries = await Promise.all(COLUMNS.map(async (name) => [name, await refsIn(page, name)] as const));
  return Object.fromEntries(entries) as Record<Column, string[]>;
}

/** Waits until the board shows the tasks of its current filters (the previous board stays meanwhile). */
async function settled(page: Page) {
  await column(page, 'To do').waitFor();
  await page.getByRole('status').filter({ hasText: 'Loading' }).waitFor({ state: 'detached' });
}

async function openBoard(page: Page, query = '') {
  await page.goto(`${e2e.baseUrl}${BOARD}${query}`);
  await settled(page);
}

const moveSaved = (page: Page) =>
  page.waitForResponse((response) => response.url().endsWith('/move') && response.request().method() === 'POST');

describe('the board', () => {
  it('moves cards by mouse and by keyboard; the order survives a reload and another member sees it', async () => {
    // The README's picture of the board, from the demo data as seeded (before this file changes it).
    const screenshot = await e2e.newPage({ viewport: { width: 1440, height: 900 } });
    await signIn(screenshot, e2e.baseUrl, DEMO.acme.owner);
    await openBoard(screenshot);
    await e2e.screenshot(screenshot, 'board');
    const page = await e2e.newPage();
    await signIn(page, e2e.baseUrl, DEMO.acme.member);
    await openBoard(page);
    for (const name of COLUMNS) expect(await column(page, name).count(), name).toBe(1);
    const before = await board(page);
    expect(Object.values(before).flat().length).toBeGreaterThan(3);
    for (const ref of Object.values(before).flat()) expect(ref).toMatch(/^ACME-\d+$/);
    await axeCheck(page, 'board');

    // Mouse: the first "To do" card onto the "In progress" column.
    const moved = before['To do'][0]!;
    let saved = moveSaved(page);
    await mouseDrag(page, moved, cards(page, 'To do').first(), column(page, 'In progress'), /in In progress, /);
    expect((await saved).status()).toBe(200);
    expect(await refsIn(page, 'To do')).not.toContain(moved);
    expect(await refsIn(page, 'In progress')).toContain(moved);

    // Mouse, within a column: the third "To do" card to the top.
    const third = (await refsIn(page, 'To do'))[2]!;
    saved = moveSaved(page);
    await mouseDrag(page, third, cards(page, 'To do').nth(2), cards(page, 'To do').first(), /in To do, position 1 of/);
    expect((await saved).status()).toBe(200);
    expect((await refsIn(page, 'To do'))[0]).toBe(third);

    // Keyboard: Space picks up, ArrowDown moves one place, Space drops.
    const [first, second] = await refsIn(page, 'To do');
    await cards(page, 'To do').first().focus();
    saved = moveSaved(page);
    await keyboardDrag(page, first!, 'ArrowDown', /in To do, position 2 of/);
    expect((await saved).status()).toBe(200);
    expect((await refsIn(page, 'To do')).slice(0, 2)).toEqual([second, first]);

    // Keyboard, between columns: ArrowRight carries the card to "In progress".
    const crossing = (await refsIn(page, 'To do'))[0]!;
    await cards(page, 'To do').first().focus();
    saved = moveSaved(page);
    await keyboardDrag(page, crossing, 'ArrowRight', /in In progress, /);
    expect((await saved).status()).toBe(200);
    expect(await refsIn(page, 'In progress')).toContain(crossing);
    expect(await refsIn(page, 'To do')).not.toContain(crossing);
    // The drop was announced in words.
    expect(await page.getByText(new RegExp(`Dropped ${crossing} in In progress`)).count()).toBeGreaterThan(0);

    const after = await board(page);
    await page.reload();
    await column(page, 'To do').waitFor();
    await expect.poll(() => board(page)).toEqual(after);

    const other = await e2e.newPage();
    await signIn(other, e2e.baseUrl, DEMO.acme.admin);
    await openBoard(other);
    await expect.poll(() => board(other)).toEqual(after);
  });

  it('keeps filters in the URL and creates a task from a column', async () => {
    const page = await e2e.newPage();
    await signIn(page, e2e.baseUrl, DEMO.acme.member);
    await openBoard(page);
    const all = Object.values(await board(page)).flat().length;

    await page.getByLabel('Type').selectOption({ label: 'Bug' });
    await page.waitForURL(/[?&]type=bug/);
    await settled(page);
    const bugs = await board(page);
    expect(Object.values(bugs).flat().length).toBeLessThan(all);
    expect(Object.values(bugs).flat().length).toBeGreaterThan(0);
    for (const link of await page.getByRole('list').getByRole('link').all()) expect(await link.textContent()).toContain('Bug');

    await page.getByLabel('Search').fill('firmware');
    await page.waitForURL(/[?&]q=firmware/);
    await page.reload();
    await settled(page);
    expect(await page.getByLabel('Type').inputValue()).toBe('bug');
    expect(await page.getByLabel('Search').inputValue()).toBe('firmware');
    await expect.poll(async () => Object.values(await board(page)).flat().length).toBeLessThanOrEqual(Object.values(bugs).flat().length);

    // A shared link opens the same filtered board for someone else.
    const other = await e2e.newPage();
    await signIn(other, e2e.baseUrl, DEMO.acme.admin);
    await openBoard(other, '?type=bug');
    await expect.poll(() => board(other)).toEqual(bugs);

    await page.getByRole('button', { name: 'Clear filters' }).click();
    await page.waitForURL((url) => url.search === '');
    await settled(page);
    await page.getByRole('button', { name: 'Add task to In review' }).click();
    const title = `Quick task ${Date.now()}`;
    await page.getByRole('textbox', { name: 'Title of a new task in In review' }).fill(title);
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await cards(page, 'In review').allTextContents()).some((text) => text.includes(title))).toBe(true);
    await page.reload();
    await column(page, 'In review').waitFor();
    await expect.poll(async () => (await cards(page, 'In review').last().textContent()) ?? '').toContain(title);
    await axeCheck(page, 'board after quick create');
  });

  it('shows a viewer no write controls, fits a phone, and shows another tenant nothing', async () => {
    const page = await e2e.newPage();
    await signIn(page, e2e.baseUrl, DEMO.acme.viewer);
    await openBoard(page);
    expect(Object.values(await board(page)).flat().length).toBeGreaterThan(0);
    expect(await writeControls(page)).toEqual([]);
    await axeCheck(page, 'board as viewer');

    const phone = await e2e.newPage(PHONE);
    await signIn(phone, e2e.baseUrl, DEMO.acme.member);
    await openBoard(phone);
    await expectNoSidewaysScroll(phone);

    const outsider = await e2e.newPage();
    const leaked: string[] = [];
    outsider.on('response', (response) => {
      if (response.url().includes('/api/v1/')) {
        void response.text().then((body) => {
          if (body.includes('ACME-')) leaked.push(response.url());
        }).catch(() => undefined);
      }
    });
    await signIn(outsider, e2e.baseUrl, DEMO.globex.owner);
    await outsider.goto(`${e2e.baseUrl}${BOARD}`);
    await outsider.getByRole('heading', { name: 'Not found' }).waitFor();
    expect(await outsider.getByRole('list', { name: /^To do/ }).count()).toBe(0);
    expect(leaked).toEqual([]);
  });
});

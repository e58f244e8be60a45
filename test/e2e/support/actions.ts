import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { ACME_PEOPLE, GLOBEX_PEOPLE } from '../../../src/seed/content/people.js';

/** Demo logins by organization and role, from the seed content (passwords are public by design). */
export const DEMO = { acme: ACME_PEOPLE, globex: GLOBEX_PEOPLE };

/** Signs in through the form, as a person does, and waits until the app has left the sign-in page. */
export async function signIn(page: Page, baseUrl: string, person: { email: string; password: string }): Promise<void> {
  if (!page.url().includes('/sign-in')) await page.goto(`${baseUrl}/sign-in`);
  await page.getByLabel('Email').fill(person.email);
  await page.getByLabel('Password').fill(person.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
}

/** Fails when the page scrolls sideways (checked at a 390 px wide viewport). */
export async function expectNoSidewaysScroll(page: Page): Promise<void> {
  // A string, because the test project has no DOM types.
  const { scrollWidth, innerWidth } = await page.evaluate<{ scrollWidth: number; innerWidth: number }>(
    '({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth })',
  );
  expect(scrollWidth, `sideways scroll on ${page.url()}`).toBeLessThanOrEqual(innerWidth);
}

export const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };

/** Every visible button, link and textbox whose name starts with a write verb: a viewer must see none. */
export async function writeControls(page: Page): Promise<string[]> {
  const found: string[] = [];
  for (const role of ['button', 'link', 'textbox'] as const) {
    for (const element of await page.getByRole(role, { name: /^(Add|New|Create|Edit|Delete|Move)\b/ }).all()) {
      if (await element.isVisible()) found.push(`${role} "${(await element.getAttribute('aria-label')) ?? (await element.textContent())?.trim()}"`);
    }
  }
  return found;
}

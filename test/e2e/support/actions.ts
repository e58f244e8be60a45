import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { ACME_PEOPLE, GLOBEX_PEOPLE } from '../../../src/seed/content/people.js';

/** Demo logins by organization and role, from the seed content (passwords are public by design). */
export const DEMO = { acme: ACME_PEOPLE, globex: GLOBEX_PEOPLE };

/** Signs in through the form, as a person does, and waits until the app has left the sign-in page. */
export async function signIn(page: Page, baseUrl: string, person: { email: string; password: string }): Promise<void> {
  if (!page.url().includes('/sign-in')) await page.goto(`${baseUrl}/sign-in`);
  await page.getByLabel('Email', { exact: true }).fill(person.email);
  await page.getByLabel('Password', { exact: true }).fill(person.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
}

let people = 0;
/** A new person with a unique address on the documentation domain, for sign-up flows. */
export function newPerson(label: string) {
  const id = `${label}-${Date.now().toString(36)}-${++people}`;
  return { name: `${label[0]!.toUpperCase()}${label.slice(1)} Tester`, email: `${id}@example.test`, password: 'correct horse battery' };
}

/** Better Auth allows 3 sign-ups per address in 10 seconds; the whole suite comes from one address. */
const SIGN_UPS_PER_WINDOW = 3;
// Better Auth allows 3 sign-ups per address, counting each one that comes within 10 s of the
// one before (the window restarts at every request); a little more keeps clear of its clock.
const SIGN_UP_WINDOW_MS = 11_000;
const signUps = { inChain: 0, lastAt: 0 };

async function waitForSignUpSlot(): Promise<void> {
  if (Date.now() - signUps.lastAt > SIGN_UP_WINDOW_MS) signUps.inChain = 0;
  if (signUps.inChain >= SIGN_UPS_PER_WINDOW) {
    await new Promise((done) => setTimeout(done, signUps.lastAt + SIGN_UP_WINDOW_MS - Date.now()));
    signUps.inChain = 0;
  }
}

/** Signs up through the form and waits until the app has left the sign-up page. */
export async function signUp(page: Page, baseUrl: string, person: { name: string; email: string; password: string }): Promise<void> {
  if (!page.url().includes('/sign-up')) await page.goto(`${baseUrl}/sign-up`);
  await page.getByLabel('Name', { exact: true }).fill(person.name);
  await page.getByLabel('Email', { exact: true }).fill(person.email);
  await page.getByLabel('Password', { exact: true }).fill(person.password);
  // Waited for just before the request leaves: a slow page load must not eat into the window.
  await waitForSignUpSlot();
  signUps.inChain += 1;
  signUps.lastAt = Date.now();
  await page.getByRole('button', { name: 'Sign up' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/sign-up'));
}

/** Creates an organization from the welcome page or /organizations/new; resolves with its slug. */
export async function createOrganization(page: Page, name: string): Promise<string> {
  await page.getByLabel('Organization name', { exact: true }).fill(name);
  await page.getByRole('button', { name: 'Create organization' }).click();
  await page.waitForURL(/\/[a-z0-9-]+\/projects$/);
  return new URL(page.url()).pathname.split('/')[1]!;
}

/**
 * Fails when the page is wider than the phone: `scrollWidth` against the device width itself,
 * because a mobile browser zooms out to fit wider content, which widens `innerWidth` with it.
 */
export async function expectNoSidewaysScroll(page: Page, width = PHONE.viewport.width): Promise<void> {
  // A string, because the test project has no DOM types.
  const scrollWidth = await page.evaluate<number>('document.documentElement.scrollWidth');
  expect(scrollWidth, `sideways scroll on ${page.url()}`).toBeLessThanOrEqual(width);
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

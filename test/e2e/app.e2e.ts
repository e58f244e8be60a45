import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { axeCheck } from './support/axe.js';
import { DEMO, PHONE, createOrganization, expectNoSidewaysScroll, newPerson, signIn, signUp, writeControls } from './support/actions.js';
import { CONSULTANT } from '../../src/seed/content/people.js';
import { useE2E } from './support/harness.js';

const e2e = useE2E();

/** Visible text of the page's main region. */
const mainText = async (page: Page) => (await page.getByRole('main').textContent()) ?? '';

describe('getting started', () => {
  it('signs up, creates an organization, stays signed in across a reload and a new tab, and signs out', async () => {
    const context = await e2e.newContext();
    const page = await context.newPage();
    await page.goto(`${e2e.baseUrl}/`);
    await page.waitForURL(/\/sign-in/);
    expect(await page.locator('link[rel="icon"]').getAttribute('href')).toBe('/favicon.svg');
    expect((await page.request.get(`${e2e.baseUrl}/favicon.svg`)).status()).toBe(200);
    await axeCheck(page, 'sign-in');
    await page.getByRole('link', { name: 'Sign up' }).click();
    await axeCheck(page, 'sign-up');

    const person = newPerson('founder');
    await signUp(page, e2e.baseUrl, person);
    await page.getByRole('heading', { name: 'Welcome to Tenantry' }).waitFor();
    expect(await mainText(page)).toContain('Create one');
    await axeCheck(page, 'welcome');
    const slug = await createOrganization(page, `Founders ${Date.now()}`);
    await page.getByRole('heading', { name: 'Projects' }).waitFor();
    await page.getByText('No projects yet').waitFor();

    await page.reload();
    await page.getByRole('heading', { name: 'Projects' }).waitFor();
    const second = await context.newPage();
    await second.goto(`${e2e.baseUrl}/${slug}/settings`);
    await second.getByRole('heading', { name: 'Settings' }).waitFor();
    await second.getByRole('main').getByText(person.email).waitFor();
    await second.close();

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/sign-in/);
    await page.goto(`${e2e.baseUrl}/${slug}/projects`);
    await page.waitForURL(/\/sign-in\?redirect=/);
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    // Signing in again goes back to the page that asked for it.
    await page.getByLabel('Email', { exact: true }).fill(person.email);
    await page.getByLabel('Password', { exact: true }).fill(person.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(new RegExp(`/${slug}/projects$`));
  });

  it('shows a wrong password in words next to the form', async () => {
    const page = await e2e.newPage();
    // The refusal is the point of this test; the browser logs every 401 as a console error.
    e2e.allowConsoleError(/status of 401/);
    await page.goto(`${e2e.baseUrl}/sign-in`);
    await page.getByLabel('Email', { exact: true }).fill('nobody@example.test');
    await page.getByLabel('Password', { exact: true }).fill('wrong password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/invalid email or password/i);
  });
});

describe('projects, invitations and roles', () => {
  it('creates, lists, archives and unarchives projects, edits their settings, invites a viewer who sees no write control', async () => {
    const owner = await e2e.newPage({ permissions: ['clipboard-read', 'clipboard-write'] });
    await signUp(owner, e2e.baseUrl, newPerson('owner'));
    const slug = await createOrganization(owner, `Projects ${Date.now()}`);

    await owner.getByRole('button', { name: 'New project' }).click();
    await owner.getByLabel('Project name', { exact: true }).fill('Website relaunch');
    expect(await owner.getByLabel('Key', { exact: true }).inputValue()).toBe('WR');
    await owner.getByLabel('Key', { exact: true }).fill('WEB');
    await owner.getByLabel('Description', { exact: true }).fill('The new public website.');
    await owner.getByRole('button', { name: 'Create project' }).click();
    await owner.waitForURL(new RegExp(`/${slug}/projects/WEB$`));

    await owner.goto(`${e2e.baseUrl}/${slug}/projects`);
    const projects = owner.getByRole('list', { name: 'Projects' });
    await projects.getByRole('link', { name: 'Website relaunch', exact: true }).waitFor();
    await axeCheck(owner, 'projects');

    // A key that is taken is refused, in words, next to the form.
    await owner.getByRole('button', { name: 'New project' }).click();
    await owner.getByLabel('Project name', { exact: true }).fill('Website two');
    await owner.getByLabel('Key', { exact: true }).fill('WEB');
    e2e.allowConsoleError(/status of 409/);
    await owner.getByRole('button', { name: 'Create project' }).click();
    await owner.getByRole('alert').waitFor();
    expect(await owner.getByRole('alert').textContent()).toMatch(/\S/);
    await owner.getByRole('button', { name: 'Cancel' }).click();

    await owner.getByRole('button', { name: 'Archive Website relaunch' }).click();
    await owner.getByText('No projects yet').waitFor();
    await owner.getByRole('link', { name: /Archived projects \(1\)/ }).click();
    await owner.getByRole('heading', { name: 'Archived projects' }).waitFor();
    await owner.getByRole('button', { name: 'Unarchive Website relaunch' }).click();
    await owner.getByText('No archived projects').waitFor();
    await owner.getByRole('link', { name: 'Back to live projects' }).click();

    await owner.getByRole('link', { name: 'Settings of Website relaunch' }).click();
    await owner.getByRole('heading', { name: 'Website relaunch settings' }).waitFor();
    await owner.getByLabel('Description', { exact: true }).fill('Launch in spring.');
    await owner.getByLabel('Status', { exact: true }).selectOption('active');
    await owner.getByRole('button', { name: 'Save project' }).click();
    await owner.getByText('Saved.').waitFor();
    await axeCheck(owner, 'project settings');

    // Invite a viewer and hand over the link.
    await owner.getByRole('navigation', { name: 'Organization' }).getByRole('link', { name: 'Settings' }).click();
    const viewerPerson = newPerson('viewer');
    await owner.getByRole('region', { name: 'Invitations' }).getByLabel('Email', { exact: true }).fill(viewerPerson.email);
    await owner.getByLabel('Role', { exact: true }).selectOption('viewer');
    await owner.getByRole('button', { name: 'Create invitation' }).click();
    await owner.getByRole('status').filter({ hasText: 'Send them this link' }).getByRole('button', { name: 'Copy link' }).click();
    await owner.getByText('Copied.').waitFor();
    const link = await owner.evaluate<string>('navigator.clipboard.readText()');
    expect(link).toMatch(new RegExp(`^${e2e.baseUrl}/invitations/[0-9a-f-]{36}$`));
    await owner.getByRole('list', { name: 'Pending invitations' }).getByText(viewerPerson.email).waitFor();
    await axeCheck(owner, 'organization settings');

    // The invited person opens the link signed out, signs up, comes back, accepts.
    const viewer = await e2e.newPage();
    await viewer.goto(link);
    await viewer.getByRole('heading', { name: 'You are invited' }).waitFor();
    await axeCheck(viewer, 'invitation (signed out)');
    await viewer.getByRole('link', { name: 'Sign up' }).click();
    await signUp(viewer, e2e.baseUrl, viewerPerson);
    await viewer.waitForURL(/\/invitations\//);
    await viewer.getByRole('button', { name: 'Accept invitation' }).click();
    await viewer.waitForURL(new RegExp(`/${slug}/projects$`));
    await viewer.getByRole('link', { name: 'Website relaunch', exact: true }).waitFor();
    await viewer.getByText('Your role: viewer').waitFor();

    for (const path of [`/${slug}/projects`, `/${slug}/projects?archived=true`, `/${slug}/settings`, `/${slug}/projects/WEB/settings`]) {
      await viewer.goto(`${e2e.baseUrl}${path}`);
      await viewer.getByRole('heading', { level: 1 }).waitFor();
      await viewer.waitForLoadState('networkidle');
      expect(await writeControls(viewer), `write controls for a viewer on ${path}`).toEqual([]);
      expect(await viewer.getByRole('button', { name: /archive|remove|save/i }).count(), path).toBe(0);
      await axeCheck(viewer, `${path} as viewer`);
    }

    // The owner sees the new member and can change their role.
    await owner.reload();
    const members = owner.getByRole('region', { name: 'Members' });
    await members.getByText(viewerPerson.email).waitFor();
    await members.getByLabel(`Role of ${viewerPerson.name}`, { exact: true }).selectOption('member');
    await owner.waitForLoadState('networkidle');

    // Project members: the owner puts the new member on the project.
    await owner.goto(`${e2e.baseUrl}/${slug}/projects/WEB/settings`);
    await owner.getByLabel('Person', { exact: true }).selectOption({ label: viewerPerson.name });
    await owner.getByRole('button', { name: 'Add to project' }).click();
    await owner.getByRole('region', { name: 'Project members' }).getByText(viewerPerson.email).waitFor();
  });

  it('switches organizations and keeps two tenants apart, even when one pastes the other’s links', async () => {
    const alice = await e2e.newPage();
    await signUp(alice, e2e.baseUrl, newPerson('alice'));
    const aliceOrg = `Alice Secret ${Date.now()}`;
    const aliceSlug = await createOrganization(alice, aliceOrg);
    await alice.getByRole('button', { name: 'New project' }).click();
    await alice.getByLabel('Project name', { exact: true }).fill('Hidden roadmap');
    await alice.getByLabel('Key', { exact: true }).fill('HID');
    await alice.getByRole('button', { name: 'Create project' }).click();
    await alice.waitForURL(/\/projects\/HID$/);

    // A second organization of Alice's own: the switcher moves between them.
    await alice.goto(`${e2e.baseUrl}/organizations/new`);
    const secondSlug = await createOrganization(alice, `Alice Side ${Date.now()}`);
    await alice.getByLabel('Current organization', { exact: true }).selectOption(aliceSlug);
    await alice.waitForURL(new RegExp(`/${aliceSlug}/projects$`));
    await alice.getByRole('link', { name: 'Hidden roadmap', exact: true }).waitFor();
    await alice.getByLabel('Current organization', { exact: true }).selectOption(secondSlug);
    await alice.waitForURL(new RegExp(`/${secondSlug}/projects$`));

    // Bob, in his own organization, pastes Alice's URLs.
    const bobContext = await e2e.newContext();
    const bob = await bobContext.newPage();
    const bodies: string[] = [];
    bob.on('response', (response) => {
      if (response.request().resourceType() === 'fetch') void response.text().then((text) => bodies.push(text), () => undefined);
    });
    await signUp(bob, e2e.baseUrl, newPerson('bob'));
    await createOrganization(bob, `Bob Works ${Date.now()}`);
    for (const path of [`/${aliceSlug}/projects`, `/${aliceSlug}/projects/HID`, `/${aliceSlug}/projects/HID/settings`, `/${aliceSlug}/tasks/HID-1`, `/${aliceSlug}/settings`]) {
      await bob.goto(`${e2e.baseUrl}${path}`);
      await bob.getByRole('heading', { name: 'Not found' }).waitFor();
      await bob.waitForLoadState('networkidle');
      expect(await mainText(bob)).not.toContain('Hidden roadmap');
    }
    await axeCheck(bob, 'not found');
    const leaked = bodies.filter((body) => body.includes('Hidden roadmap') || body.includes(aliceOrg) || body.includes(aliceSlug));
    expect(leaked).toEqual([]);

    // A path that is nobody's is the same page.
    await bob.goto(`${e2e.baseUrl}/no-such-org/projects`);
    await bob.getByRole('heading', { name: 'Not found' }).waitFor();
  });
});

describe('on a 390 px phone', () => {
  it('never scrolls sideways, on every screen', async () => {
    const page = await e2e.newPage(PHONE);
    await page.goto(`${e2e.baseUrl}/sign-in`);
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await expectNoSidewaysScroll(page);
    await signUp(page, e2e.baseUrl, newPerson('phone-user-with-a-rather-long-address'));
    await expectNoSidewaysScroll(page);
    const slug = await createOrganization(page, `A rather long organization name for a phone ${Date.now()}`);
    await page.getByRole('button', { name: 'New project' }).click();
    await expectNoSidewaysScroll(page);
    await page.getByLabel('Project name', { exact: true }).fill('Phone project');
    await page.getByLabel('Key', { exact: true }).fill('PHO');
    await page.getByRole('button', { name: 'Create project' }).click();
    await page.waitForURL(/\/projects\/PHO$/);
    for (const path of [`/${slug}/projects`, `/${slug}/projects/PHO/settings`, `/${slug}/settings`, '/organizations/new', '/no-such/projects']) {
      await page.goto(`${e2e.baseUrl}${path}`);
      await page.getByRole('heading', { level: 1 }).waitFor();
      await page.waitForLoadState('networkidle');
      await expectNoSidewaysScroll(page);
    }
    await page.goto(`${e2e.baseUrl}/${slug}/settings`);
    await page.getByRole('region', { name: 'Invitations' }).getByLabel('Email', { exact: true }).fill('someone@example.test');
    await page.getByRole('button', { name: 'Create invitation' }).click();
    await page.locator('.notice code').waitFor();
    await expectNoSidewaysScroll(page);
    await axeCheck(page, 'settings on a phone');
  });
});

describe('with the demo data', () => {
  it('shows a viewer the projects and people of Acme without a single write control, and writes the README screenshot', async () => {
    const viewer = await e2e.newPage();
    await signIn(viewer, e2e.baseUrl, DEMO.acme.viewer);
    await viewer.waitForURL(/\/acme\/projects$/);
    await viewer.getByRole('link', { name: 'Fleet Control', exact: true }).waitFor();
    for (const path of ['/acme/projects', '/acme/settings', '/acme/projects/WEB/settings']) {
      await viewer.goto(`${e2e.baseUrl}${path}`);
      await viewer.getByRole('heading', { level: 1 }).waitFor();
      await viewer.waitForLoadState('networkidle');
      expect(await writeControls(viewer), path).toEqual([]);
      await axeCheck(viewer, `${path} as the demo viewer`);
    }
    // Avatars are initials: no image but the app's own icon.
    const images = await viewer.evaluate<string[]>("[...document.images].map((image) => image.getAttribute('src'))");
    expect(images.every((src) => src === '/favicon.svg')).toBe(true);

    const owner = await e2e.newPage({ viewport: { width: 1280, height: 720 } });
    await signIn(owner, e2e.baseUrl, DEMO.acme.owner);
    await owner.getByRole('link', { name: 'Customer Portal', exact: true }).waitFor();
    await owner.waitForLoadState('networkidle');
    await e2e.screenshot(owner, 'projects');
  });

  it('lets the consultant switch between Acme and Globex, and keeps Acme people out of Globex', async () => {
    const consultant = await e2e.newPage();
    await signIn(consultant, e2e.baseUrl, CONSULTANT);
    await consultant.waitForURL(/\/(acme|globex)\/projects$/);
    await consultant.goto(`${e2e.baseUrl}/acme/projects`);
    await consultant.getByRole('link', { name: 'Fleet Control', exact: true }).waitFor();
    await consultant.getByLabel('Current organization', { exact: true }).selectOption('globex');
    await consultant.waitForURL(/\/globex\/projects$/);
    await consultant.getByRole('link', { name: 'Lab Notebook', exact: true }).waitFor();
    expect(await mainText(consultant)).not.toContain('Fleet Control');

    const acmeMember = await e2e.newPage();
    await signIn(acmeMember, e2e.baseUrl, DEMO.acme.member);
    for (const path of ['/globex/projects', '/globex/projects/LAB', '/globex/tasks/LAB-1', '/globex/settings']) {
      await acmeMember.goto(`${e2e.baseUrl}${path}`);
      await acmeMember.getByRole('heading', { name: 'Not found' }).waitFor();
      expect(await mainText(acmeMember)).not.toContain('Lab Notebook');
    }
  });
});

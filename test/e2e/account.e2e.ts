import { describe, expect, it } from 'vitest';
import { axeCheck } from './support/axe.js';
import { DEMO, PHONE, expectNoSidewaysScroll, newPerson, signIn, signUp } from './support/actions.js';
import { useE2E } from './support/harness.js';

const e2e = useE2E();

/**
 * The newest link of a mail to `to` that the server's outbox printed (no SMTP_URL: each mail's
 * links go to the console), waiting until the mail worker has sent it.
 */
async function mailedLink(to: string, pattern: RegExp): Promise<string> {
  let link: string | undefined;
  await expect
    .poll(
      () => {
        const mails = e2e.server.output().split(/\n(?=Mail to )/).filter((mail) => mail.startsWith(`Mail to ${to}:`));
        link = mails.flatMap((mail) => mail.match(pattern) ?? []).at(-1);
        return link;
      },
      { timeout: 20_000, interval: 200 },
    )
    .toBeDefined();
  return link ?? '';
}

describe('password reset', () => {
  it('forgot password → the mail in the outbox → the reset page → signs in with the new password', async () => {
    const page = await e2e.newPage();
    const person = newPerson('forgetful');
    await signUp(page, e2e.baseUrl, person);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/sign-in/);

    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    await page.waitForURL(/\/forgot-password$/);
    await page.getByRole('heading', { name: 'Forgot your password?' }).waitFor();
    await axeCheck(page, 'forgot password');
    await page.getByLabel('Email', { exact: true }).fill(person.email);
    await page.getByRole('button', { name: 'Send reset link' }).click();
    await page.getByRole('status').filter({ hasText: 'a link to set a new password is on its way' }).waitFor();

    const link = await mailedLink(person.email, /http:\/\/\S+\/reset-password\?token=[\w-]+/g);
    expect(link.startsWith(`${e2e.baseUrl}/reset-password?token=`)).toBe(true);
    await page.goto(link);
    await page.getByRole('heading', { name: 'Set a new password' }).waitFor();
    await axeCheck(page, 'reset password');
    await page.getByLabel('New password', { exact: true }).fill('a much newer secret');
    await page.getByLabel('Repeat the new password', { exact: true }).fill('a much newer secret');
    await page.getByRole('button', { name: 'Set new password' }).click();
    await page.waitForURL(/\/sign-in\?reset=true$/);
    await page.getByRole('status').filter({ hasText: 'Your new password is set' }).waitFor();

    await signIn(page, e2e.baseUrl, { email: person.email, password: 'a much newer secret' });
    await page.getByRole('button', { name: 'Sign out' }).waitFor();

    // The token worked once: the same link again is refused in words.
    e2e.allowConsoleError(/status of 400/);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/sign-in/);
    await page.goto(link);
    await page.getByLabel('New password', { exact: true }).fill('yet another secret');
    await page.getByLabel('Repeat the new password', { exact: true }).fill('yet another secret');
    await page.getByRole('button', { name: 'Set new password' }).click();
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').textContent()).toMatch(/invalid token/i);
  });
});

describe('your invitations', () => {
  it('lists a pending invitation once the address is verified, and accepts it from the list', async () => {
    const invitee = await e2e.newPage();
    const person = newPerson('invitee');
    await signUp(invitee, e2e.baseUrl, person);

    const owner = await e2e.newPage();
    await signIn(owner, e2e.baseUrl, DEMO.acme.owner);
    const invited = await owner.request.post(`${e2e.baseUrl}/api/v1/orgs/acme/invitations`, { data: { email: person.email, role: 'member' } });
    expect(invited.status()).toBe(201);

    // Unverified: the list explains itself instead of listing.
    await invitee.getByRole('link', { name: /^Invitations/ }).click();
    await invitee.waitForURL(/\/invitations$/);
    await invitee.getByText('Your invitations are listed once your email address is verified.').waitFor();

    // The verification mail sent at sign-up proves the address.
    await invitee.goto(await mailedLink(person.email, /http:\/\/\S+\/api\/auth\/verify-email\?token=\S+/g));
    await invitee.goto(`${e2e.baseUrl}/invitations`);
    const list = invitee.getByRole('list', { name: 'Open invitations' });
    await list.getByText('Acme Robotics').waitFor();
    await invitee.getByRole('link', { name: 'Invitations (1 open)' }).waitFor();
    await axeCheck(invitee, 'your invitations');

    await list.getByRole('button', { name: /^Accept the invitation to Acme/ }).click();
    await invitee.waitForURL(/\/acme\/projects$/);
    await invitee.getByRole('navigation', { name: 'Organization' }).getByText('Your role: member').waitFor();
    await invitee.getByRole('link', { name: 'Invitations', exact: true }).click();
    await invitee.getByText('No open invitations').waitFor();
  });

  it('fits a phone', async () => {
    const page = await e2e.newPage(PHONE);
    await page.goto(`${e2e.baseUrl}/forgot-password`);
    await page.getByRole('heading', { name: 'Forgot your password?' }).waitFor();
    await expectNoSidewaysScroll(page);
    await signIn(page, e2e.baseUrl, DEMO.globex.member);
    await page.goto(`${e2e.baseUrl}/invitations`);
    await page.getByRole('heading', { name: 'Invitations' }).waitFor();
    await expectNoSidewaysScroll(page);
  });
});

import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DEMO, PHONE, expectNoSidewaysScroll, signIn } from './support/actions.js';
import { axeCheck } from './support/axe.js';
import { useE2E } from './support/harness.js';

const e2e = useE2E();
const PRD = '/acme/docs/ACME/acme-prd';

const versions = (page: Page) => page.getByRole('region', { name: 'Versions' });
const versionItem = (page: Page, n: number) => versions(page).getByRole('listitem', { name: `Version ${n}`, exact: true });

async function save(page: Page, content: string) {
  await page.getByRole('button', { name: 'Edit document' }).click();
  await page.getByRole('textbox', { name: 'Content (Markdown)' }).fill(content);
  await page.getByRole('button', { name: 'Save document' }).click();
  await page.getByRole('button', { name: 'Edit document' }).waitFor();
}

describe('document versions', () => {
  it('lists a version per save, compares two, and restores one as a new version', async () => {
    const page = await e2e.newPage();
    await signIn(page, e2e.baseUrl, DEMO.acme.member);
    await page.goto(`${e2e.baseUrl}/acme/docs?project=ACME`);
    await page.getByRole('button', { name: 'New document' }).click();
    await page.getByRole('textbox', { name: 'Document title' }).fill('Depot shift handover');
    await page.getByRole('button', { name: 'Create document' }).click();
    await page.waitForURL(`${e2e.baseUrl}/acme/docs/ACME/depot-shift-handover`);

    // Creating it is version 1, by its author.
    await versionItem(page, 1).waitFor();
    expect(await versionItem(page, 1).textContent()).toContain(`by ${DEMO.acme.member.firstName} ${DEMO.acme.member.lastName}`);

    await save(page, 'Check the chargers.\n\nLock the gate.\n');
    await save(page, 'Check the chargers.\n\nLock both gates.\n');
    await versionItem(page, 3).waitFor();
    expect(await versionItem(page, 3).textContent()).toContain('current');
    expect(await versions(page).getByRole('listitem').count()).toBe(3);

    // What the last save changed: the old line removed, the new one added.
    await versionItem(page, 3).getByRole('button', { name: 'Changes in version 3' }).click();
    const diff = page.getByRole('region', { name: 'Changes from version 2 to version 3' });
    await diff.waitFor();
    expect(await diff.locator('del').allTextContents()).toEqual(['− Lock the gate.\n']);
    expect(await diff.locator('ins').allTextContents()).toEqual(['+ Lock both gates.\n']);
    await axeCheck(page, 'document versions with a comparison');

    // Restoring version 2 puts its text back and records version 4.
    await versionItem(page, 2).getByRole('button', { name: 'Restore version 2' }).click();
    await versionItem(page, 4).waitFor();
    expect(await versionItem(page, 4).textContent()).toContain('restored from version 2');
    // Exact text: the body's paragraph, never the comparison's "− Lock the gate." line, which may
    // still be open for a moment after the restore.
    await page.getByText('Lock the gate.', { exact: true }).waitFor();
    expect(await page.getByText('Lock both gates.', { exact: true }).count()).toBe(0);

    // The server kept it.
    await page.reload();
    await versionItem(page, 4).waitFor();
    await page.getByText('Lock the gate.', { exact: true }).waitFor();
  });

  it('lets a viewer read and compare versions, without restoring, at phone width', async () => {
    // A member saves the demo PRD once, so there is an earlier version a writer could restore.
    const member = await e2e.newPage();
    await signIn(member, e2e.baseUrl, DEMO.acme.member);
    await member.goto(`${e2e.baseUrl}${PRD}`);
    await versionItem(member, 1).waitFor();
    await save(member, 'Rewritten by the member.\n');
    await versionItem(member, 2).waitFor();
    expect(await versions(member).getByRole('button', { name: 'Restore version 1' }).count()).toBe(1);

    const page = await e2e.newPage(PHONE);
    await signIn(page, e2e.baseUrl, DEMO.acme.viewer);
    await page.goto(`${e2e.baseUrl}${PRD}`);
    await versionItem(page, 2).waitFor();
    expect(await versions(page).getByRole('button', { name: /^Restore/ }).count()).toBe(0);
    await versionItem(page, 2).getByRole('button', { name: 'Changes in version 2' }).click();
    await page.getByRole('region', { name: 'Changes from version 1 to version 2' }).locator('ins').first().waitFor();
    await expectNoSidewaysScroll(page);
    await axeCheck(page, 'document versions for a viewer');
  });
});

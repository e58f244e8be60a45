import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DEMO, PHONE, expectNoSidewaysScroll, signIn, writeControls } from './support/actions.js';
import { axeCheck } from './support/axe.js';
import { useE2E } from './support/harness.js';

const e2e = useE2E();
const LIST = '/acme/docs?project=ACME';
const PRD = '/acme/docs/ACME/acme-prd';

const documents = (page: Page) => page.getByRole('list', { name: 'Documents' });
const status = (page: Page) => page.getByLabel('Document status');

async function openList(page: Page) {
  await page.goto(`${e2e.baseUrl}${LIST}`);
  await documents(page).getByRole('link').first().waitFor();
}

describe('documents', () => {
  it('lets a member search, create, edit with a preview, publish and archive a document', async () => {
    const page = await e2e.newPage();
    await signIn(page, e2e.baseUrl, DEMO.acme.member);
    await openList(page);
    expect(await documents(page).getByRole('link', { name: 'Fleet Control: product requirements' }).count()).toBe(1);
    await axeCheck(page, 'documents list');

    // Full-text search narrows the list, in the URL.
    const everything = await documents(page).getByRole('link').count();
    await page.getByRole('searchbox', { name: 'Search documents' }).fill('requirements');
    await page.waitForURL(/q=requirements/);
    await expect.poll(async () => documents(page).getByRole('link').count()).toBeLessThan(everything);
    expect(await documents(page).getByRole('link').allTextContents()).toContain('Fleet Control: product requirements');

    // Create → the new document's own page, as a draft.
    await page.getByRole('button', { name: 'New document' }).click();
    await page.getByRole('textbox', { name: 'Document title' }).fill('Depot charging runbook');
    await page.getByRole('button', { name: 'Create document' }).click();
    await page.waitForURL(`${e2e.baseUrl}/acme/docs/ACME/depot-charging-runbook`);
    await page.getByRole('heading', { level: 1, name: 'Depot charging runbook' }).waitFor();
    expect(await status(page).textContent()).toContain('Draft');

    // Edit in Markdown, preview it (no raw HTML), save.
    await page.getByRole('button', { name: 'Edit document' }).click();
    await page.getByRole('textbox', { name: 'Content (Markdown)' }).fill('## Steps\n\nPlug in **before** midnight.\n\n<img src=x onerror="alert(1)">');
    await page.getByRole('button', { name: 'Preview', exact: true }).click();
    const preview = page.getByRole('region', { name: 'Preview' });
    await preview.getByRole('heading', { name: 'Steps' }).waitFor();
    expect(await preview.locator('strong').textContent()).toBe('before');
    expect(await preview.locator('img').count()).toBe(0);
    await page.getByRole('button', { name: 'Write', exact: true }).click();
    expect(await page.getByRole('textbox', { name: 'Content (Markdown)' }).inputValue()).toContain('## Steps');
    await page.getByRole('button', { name: 'Save document' }).click();
    await page.getByRole('heading', { level: 2, name: 'Steps' }).waitFor();
    await axeCheck(page, 'document page');

    // Publish, then archive.
    await page.getByRole('button', { name: 'Publish' }).click();
    await expect.poll(async () => status(page).textContent()).toContain('Published');
    await page.getByRole('button', { name: 'Archive' }).click();
    await expect.poll(async () => status(page).textContent()).toContain('Archived');

    // A reload shows what the server kept.
    await page.reload();
    await page.getByRole('heading', { level: 2, name: 'Steps' }).waitFor();
    expect(await status(page).textContent()).toContain('Archived');

    // The search finds it by its content.
    await page.goto(`${e2e.baseUrl}${LIST}&q=midnight`);
    await expect.poll(async () => documents(page).getByRole('link').allTextContents()).toEqual(['Depot charging runbook']);
  });

  it('shows a viewer documents without write controls, fits a phone, and shows another tenant nothing', async () => {
    const page = await e2e.newPage(PHONE);
    await signIn(page, e2e.baseUrl, DEMO.acme.viewer);
    await openList(page);
    expect(await writeControls(page)).toEqual([]);
    await expectNoSidewaysScroll(page);
    await page.goto(`${e2e.baseUrl}${PRD}`);
    await page.getByRole('heading', { level: 1, name: 'Fleet Control: product requirements' }).waitFor();
    expect(await writeControls(page)).toEqual([]);
    expect(await page.getByRole('button', { name: /^(Publish|Archive)$/ }).count()).toBe(0);
    await expectNoSidewaysScroll(page);
    await axeCheck(page, 'document for a viewer at phone width');

    const outsider = await e2e.newPage();
    await signIn(outsider, e2e.baseUrl, DEMO.globex.owner);
    await outsider.goto(`${e2e.baseUrl}${PRD}`);
    await outsider.getByRole('heading', { level: 1, name: 'Not found' }).waitFor();
    await outsider.goto(`${e2e.baseUrl}/globex/docs?project=ACME`);
    await documents(outsider).getByRole('link').first().waitFor();
    expect(await outsider.getByText('Fleet Control').count()).toBe(0);
  });
});

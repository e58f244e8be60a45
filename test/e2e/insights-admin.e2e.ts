import { describe, expect, it } from 'vitest';
import { DEMO, PHONE, expectNoSidewaysScroll, signIn, writeControls } from './support/actions.js';
import { axeCheck } from './support/axe.js';
import { useE2E } from './support/harness.js';

const e2e = useE2E();
const INSIGHTS = '/acme/projects/ACME/insights';
const SECRET = 'sk-e2e-never-shown-again-9f3c';

describe('insights and administration', () => {
  it('shows a member the delivery forecast and AI usage as charts with their numbers, and records a gap', async () => {
    const page = await e2e.newPage();
    await signIn(page, e2e.baseUrl, DEMO.acme.member);
    // Reached from the project's tabs.
    await page.goto(`${e2e.baseUrl}/acme/projects/ACME`);
    await page.getByRole('navigation', { name: 'Project' }).getByRole('link', { name: 'Insights' }).click();
    await page.waitForURL(`${e2e.baseUrl}${INSIGHTS}`);
    const forecast = page.getByRole('img', { name: /^Delivery forecast for Fleet Control: 50% likely by \d{4}-\d{2}-\d{2}/ });
    await forecast.waitFor();
    const forecastTable = page.getByRole('table', { name: /^Delivery forecast made/ });
    expect(await forecastTable.getByRole('rowheader').allTextContents()).toEqual(expect.arrayContaining(['50%', '95%']));
    await page.getByRole('img', { name: /^AI usage per month: \d{4}-\d{2} / }).waitFor();
    const usageTable = page.getByRole('table', { name: /^AI usage per month: a budget of 1,500,000 tokens a month \(the smaller of the organization's 1,500,000 and the plan's 2,000,000\)/ });
    expect(await usageTable.getByRole('row').count()).toBeGreaterThan(1);
    await page.getByRole('list', { name: 'Gaps' }).getByRole('listitem').first().waitFor();
    await e2e.screenshot(page, 'insights');
    await axeCheck(page, 'insights');

    await page.getByRole('button', { name: 'Add gap' }).click();
    await page.getByRole('textbox', { name: 'Gap title' }).fill('Nobody on call for the depot chargers');
    await page.getByRole('combobox', { name: 'Severity' }).selectOption('high');
    await page.getByRole('button', { name: 'Save gap' }).click();
    await page.getByRole('list', { name: 'Gaps' }).getByText('Nobody on call for the depot chargers').waitFor();

    // A new run answers with a forecast (the chart changes) or, with too little history, the reason in words.
    await page.getByRole('button', { name: 'Run a new forecast' }).click();
    await page.getByRole('button', { name: 'Run a new forecast' }).waitFor();
    expect((await forecast.count()) + (await page.getByRole('status').filter({ hasText: 'Not enough history to forecast yet' }).count())).toBeGreaterThan(0);
  });

  it('lets an admin add an AI provider whose key is never shown back, and filter the audit log', async () => {
    const page = await e2e.newPage();
    await signIn(page, e2e.baseUrl, DEMO.acme.admin);
    await page.goto(`${e2e.baseUrl}/acme/settings`);
    await page.getByRole('link', { name: 'AI providers and integrations' }).click();
    await page.getByRole('heading', { level: 1, name: 'AI providers and integrations' }).waitFor();
    await page.getByRole('button', { name: 'Add AI provider' }).click();
    const key = page.getByLabel('API key');
    expect(await key.getAttribute('type')).toBe('password');
    await page.getByRole('textbox', { name: 'Provider name' }).fill('E2E OpenAI');
    await page.getByRole('textbox', { name: 'Model', exact: true }).fill('gpt-4o-mini');
    await key.fill(SECRET);
    const listed = page.waitForResponse((response) => response.url().includes('/ai-providers') && response.request().method() === 'GET');
    await page.getByRole('button', { name: 'Save AI provider' }).click();
    const row = page.getByRole('list', { name: 'AI providers' }).getByRole('listitem').filter({ hasText: 'E2E OpenAI' });
    await row.waitFor();
    expect(await row.textContent()).toMatch(/API key \S*9f3c/);
    expect(await (await listed).text()).not.toContain(SECRET);
    await page.reload();
    await row.waitFor();
    expect(await page.content()).not.toContain(SECRET);
    await axeCheck(page, 'AI providers and integrations');

    await page.goto(`${e2e.baseUrl}/acme/settings`);
    await page.getByRole('link', { name: 'Audit log' }).click();
    await page.getByRole('heading', { level: 1, name: 'Audit log' }).waitFor();
    const records = page.getByRole('table').getByRole('row');
    await records.nth(1).waitFor();
    await page.getByRole('combobox', { name: 'Record type' }).selectOption('ai_providers');
    await page.waitForURL(/resourceType=ai_providers/);
    await page.getByRole('status').filter({ hasText: 'Loading' }).waitFor({ state: 'detached' });
    const rows = await page.getByRole('table').getByRole('row').all();
    expect(rows.length).toBeGreaterThan(1);
    for (const entry of rows.slice(1)) expect(await entry.getByRole('cell').nth(3).textContent()).toBe('ai_providers');
    await axeCheck(page, 'audit log');
  });

  it('offers a viewer no write control, fits a phone, and shows another tenant nothing', async () => {
    const page = await e2e.newPage(PHONE);
    await signIn(page, e2e.baseUrl, DEMO.acme.viewer);
    await page.goto(`${e2e.baseUrl}${INSIGHTS}`);
    await page.getByRole('img', { name: /^Delivery forecast/ }).waitFor();
    await page.getByRole('list', { name: 'Gaps' }).waitFor();
    expect(await writeControls(page)).toEqual([]);
    expect(await page.getByRole('button', { name: 'Run a new forecast' }).count()).toBe(0);
    await expectNoSidewaysScroll(page);
    await axeCheck(page, 'insights at phone width');

    await page.goto(`${e2e.baseUrl}/acme/settings/ai`);
    await page.getByRole('heading', { level: 2, name: 'AI providers' }).waitFor();
    await page.getByRole('status').filter({ hasText: 'Loading' }).first().waitFor({ state: 'detached' });
    expect(await writeControls(page)).toEqual([]);
    await expectNoSidewaysScroll(page);
    await page.goto(`${e2e.baseUrl}/acme/settings`);
    await page.getByRole('link', { name: 'AI providers and integrations' }).waitFor();
    expect(await page.getByRole('link', { name: 'Audit log' }).count()).toBe(0);
    await page.goto(`${e2e.baseUrl}/acme/settings/audit-log`);
    await page.getByRole('heading', { level: 1, name: 'Not found' }).waitFor();

    const outsider = await e2e.newPage();
    await signIn(outsider, e2e.baseUrl, DEMO.globex.owner);
    for (const path of [INSIGHTS, '/acme/settings/ai', '/acme/settings/audit-log']) {
      await outsider.goto(`${e2e.baseUrl}${path}`);
      await outsider.getByRole('heading', { level: 1, name: 'Not found' }).waitFor();
    }
  });
});

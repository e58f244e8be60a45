import { sign } from '@octokit/webhooks-methods';
import { describe, expect, it } from 'vitest';
import { DEMO, signIn, writeControls } from './support/actions.js';
import { axeCheck } from './support/axe.js';
import { useE2E } from './support/harness.js';

const e2e = useE2E();
const NAME = 'acme/e2e-firmware';

describe('GitHub integration setup', () => {
  it('makes a webhook secret, shows it once with the URL to paste, and shows the last sync once GitHub delivers', async () => {
    const page = await e2e.newPage();
    await signIn(page, e2e.baseUrl, DEMO.acme.admin);
    await page.goto(`${e2e.baseUrl}/acme/settings/ai`);
    await page.getByRole('button', { name: 'Add integration' }).click();
    await page.getByRole('combobox', { name: 'Tool' }).selectOption('github');
    await page.getByRole('textbox', { name: 'Integration name' }).fill(NAME);
    const created = page.waitForResponse((response) => response.url().endsWith('/integrations') && response.request().method() === 'POST');
    await page.getByRole('button', { name: 'Save integration' }).click();
    const { id } = (await (await created).json()) as { id: string };
    const shown = page.getByRole('status').filter({ hasText: 'shown this once' });
    await shown.waitFor();
    const text = (await shown.textContent()) ?? '';
    const url = `${e2e.baseUrl}/api/v1/integrations/${id}/github/webhook`;
    expect(text).toContain(url);
    const secret = /shown this once: ([0-9a-f]{48})/.exec(text)?.[1];
    expect(secret).toBeDefined();
    await axeCheck(page, 'github setup');
    await page.getByRole('button', { name: 'Done' }).click();
    const row = page.getByRole('list', { name: 'Integrations' }).getByRole('listitem').filter({ hasText: NAME });
    await row.getByText('last sync: never').waitFor();

    // A push naming no task, signed with the secret the screen showed.
    const body = JSON.stringify({ commits: [] });
    const push = await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json', 'x-github-event': 'push', 'x-hub-signature-256': await sign(secret!, body) } });
    expect(push.status).toBe(200);
    await page.reload();
    await row.waitFor();
    expect(await row.textContent()).not.toContain('last sync: never');
    expect(await page.content()).not.toContain(secret);
  });

  it('shows a viewer the integrations without controls, and another tenant nothing of them', async () => {
    const viewer = await e2e.newPage();
    await signIn(viewer, e2e.baseUrl, DEMO.acme.viewer);
    await viewer.goto(`${e2e.baseUrl}/acme/settings/ai`);
    await viewer.getByRole('list', { name: 'Integrations' }).getByRole('listitem').filter({ hasText: NAME }).waitFor();
    expect(await writeControls(viewer)).toEqual([]);

    const { items } = (await (await viewer.request.get(`${e2e.baseUrl}/api/v1/orgs/acme/integrations`)).json()) as { items: { id: string; name: string }[] };
    const id = items.find((integration) => integration.name === NAME)?.id;
    expect(id).toBeDefined();

    const outsider = await e2e.newPage();
    await signIn(outsider, e2e.baseUrl, DEMO.globex.admin);
    await outsider.goto(`${e2e.baseUrl}/globex/settings/ai`);
    await outsider.getByRole('heading', { level: 2, name: 'Integrations' }).waitFor();
    await outsider.waitForLoadState('networkidle');
    expect(await outsider.content()).not.toContain(NAME);
    // The first organization's settings URL, pasted: not found, and nothing of it on the page.
    await outsider.goto(`${e2e.baseUrl}/acme/settings/ai`);
    await outsider.getByRole('heading', { level: 1, name: 'Not found' }).waitFor();
    expect(await outsider.content()).not.toContain(NAME);
    // The screen decides "not found" from the outsider's own organizations, so the API behind it
    // is asked too: the first's list and its integration, by the first's slug or the outsider's.
    for (const path of ['/orgs/acme/integrations', `/orgs/acme/integrations/${id}`, `/orgs/globex/integrations/${id}`]) {
      const response = await outsider.request.get(`${e2e.baseUrl}/api/v1${path}`);
      expect(response.status(), path).toBe(404);
      expect(await response.text(), path).not.toContain(NAME);
    }
  });
});

import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeAiProvider, startFakeAiProvider } from '../support/fake-ai-provider.js';
import { DEMO, PHONE, expectNoSidewaysScroll, signIn, writeControls } from './support/actions.js';
import { axeCheck } from './support/axe.js';
import { useE2E } from './support/harness.js';

// The fake provider listens on loopback, which the outbound guard refuses unless allowed.
const e2e = useE2E({ env: { OUTBOUND_ALLOW_PRIVATE: 'true' } });
let fake: FakeAiProvider;
beforeAll(async () => {
  fake = await startFakeAiProvider();
});
afterAll(async () => fake?.close());

const PROVIDER = 'Fake model (fake-model)';
const DOC = '/acme/docs/ACME/acme-prd';
const ASSISTANT = '/acme/projects/ACME/assistant';
const stamp = Date.now().toString(36);
const STORIES = ['Pause a rollout', 'See rollout progress', 'Roll back a wave'].map((title) => `${title} ${stamp}`);
const GENERATE_CONTROLS = [/^Write user stories$/, /^Draft document$/, /^Send$/, /^Summarise sprint$/];

async function apiJson<T>(page: Page, path: string): Promise<T> {
  const response = await page.request.get(`${e2e.baseUrl}/api/v1/orgs/acme${path}`);
  expect(response.status(), path).toBe(200);
  return (await response.json()) as T;
}

async function chooseProvider(page: Page, within = page.locator('main')) {
  await within.getByRole('combobox', { name: 'AI provider' }).first().selectOption({ label: PROVIDER });
}

async function acmeProjectId(page: Page): Promise<string> {
  const { items } = await apiJson<{ items: { id: string; key: string }[] }>(page, '/projects?limit=100');
  return items.find((project) => project.key === 'ACME')!.id;
}

/** The sprint page of the demo's active ACME sprint. */
async function activeSprintPath(page: Page): Promise<string> {
  const { items: sprints } = await apiJson<{ items: { id: string; status: string }[] }>(page, `/projects/${await acmeProjectId(page)}/sprints?limit=100`);
  return `/acme/projects/ACME/sprints/${sprints.find((sprint) => sprint.status === 'active')!.id}`;
}

describe('AI generation in the web app', () => {
  it('lets an admin price a model in a new version and keeps the old one', async () => {
    const admin = await e2e.newPage();
    await signIn(admin, e2e.baseUrl, DEMO.acme.admin);
    // The provider itself: an OpenAI-compatible server (the fake) that the organization's members pick.
    const provider = await admin.request.post(`${e2e.baseUrl}/api/v1/orgs/acme/ai-providers`, {
      data: { kind: 'openai-compatible', baseUrl: fake.baseUrl, apiKey: 'sk-e2e-acme-key', model: 'fake-model', name: 'Fake model' },
    });
    expect(provider.status()).toBe(201);

    await admin.goto(`${e2e.baseUrl}/acme/settings`);
    await admin.getByRole('link', { name: 'AI usage and prices' }).click();
    await admin.getByRole('heading', { level: 1, name: 'AI usage and prices' }).waitFor();
    await admin.getByRole('table', { name: /^Tokens in \d{4}-\d{2}/ }).getByRole('row', { name: /^Budget in force 1,500,000 tokens$/ }).waitFor();
    for (const [price, version] of [['2', 1], ['3.5', 2]] as const) {
      if (version === 1) await admin.getByRole('button', { name: 'Add a model price' }).click();
      else await admin.getByRole('button', { name: 'Change price of fake-model' }).click();
      const form = admin.getByRole('form', { name: 'Model price' });
      await form.getByLabel('Provider kind').selectOption('openai-compatible');
      await form.getByLabel('Model name').fill('fake-model');
      await form.getByLabel('Input price per million tokens').fill(price);
      await form.getByLabel('Output price per million tokens').fill(price);
      await form.getByRole('button', { name: 'Save price' }).click();
      await admin.getByRole('table', { name: 'Current prices' }).getByRole('row', { name: new RegExp(`^fake-model openai-compatible ${version} `) }).waitFor();
    }
    await admin.getByRole('checkbox', { name: 'Show every version' }).check();
    const history = admin.getByRole('table', { name: 'Every price version' });
    await history.getByRole('row', { name: /^fake-model openai-compatible 2 3\.5/ }).waitFor();
    expect(await history.getByRole('row', { name: /^fake-model openai-compatible 1 2/ }).count()).toBe(1);
    await axeCheck(admin, 'AI usage and prices');
    await e2e.screenshot(admin, 'ai-usage');
  });

  it('lets a member turn a document into stories, accept two of three as exactly two tasks, and save a drafted document', async () => {
    const page = await e2e.newPage();
    await signIn(page, e2e.baseUrl, DEMO.acme.member);
    await page.goto(`${e2e.baseUrl}${DOC}`);
    const panel = page.getByRole('region', { name: 'Generate with AI' });
    await chooseProvider(page, panel);
    const stories = STORIES.map((title, index) => ({ title, description: `Story ${index + 1}`, acceptanceCriteria: [`Given wave ${index + 1} when it runs then it reports`] }));
    fake.script({ reply: JSON.stringify({ stories }), usage: { input: 300, output: 120 } });
    await panel.getByRole('button', { name: 'Write user stories' }).click();
    const proposed = page.getByRole('list', { name: 'Proposed user stories' });
    await proposed.waitFor();
    expect(await proposed.getByRole('checkbox').count()).toBe(3);
    await expect.poll(() => panel.getByText('300 tokens in, 120 out').count()).toBe(1);
    expect(await panel.getByText(/at price version 2/).count()).toBe(1);
    await proposed.getByRole('list', { name: `Acceptance criteria of ${STORIES[0]}` }).waitFor();
    await axeCheck(page, 'proposed stories');
    await panel.getByRole('heading', { name: 'User stories from this document' }).scrollIntoViewIfNeeded();
    await e2e.screenshot(page, 'ai-stories');

    await proposed.getByRole('checkbox', { name: new RegExp(`^${STORIES[0]}`) }).check();
    await proposed.getByRole('checkbox', { name: new RegExp(`^${STORIES[2]}`) }).check();
    const accepted = page.waitForResponse((response) => response.url().endsWith('/accept') && response.request().method() === 'POST');
    await panel.getByRole('button', { name: 'Create 2 tasks' }).click();
    expect((await accepted).status()).toBe(201);
    const created = page.getByRole('list', { name: 'Tasks created from the stories' });
    await created.waitFor();
    expect(await created.getByRole('link').allTextContents()).toEqual([expect.stringContaining(STORIES[0]!), expect.stringContaining(STORIES[2]!)]);
    const { items: tasks } = await apiJson<{ items: { title: string; type: string }[] }>(page, `/projects/${await acmeProjectId(page)}/tasks?type=story&limit=100`);
    const fromStories = tasks.filter((task) => task.title.endsWith(stamp));
    expect(fromStories.map((task) => task.title).sort()).toEqual([STORIES[0], STORIES[2]].sort());

    // A draft is shown first and becomes a document only when saved.
    fake.script({ reply: `# Rollout plan ${stamp}\n\nWaves of five robots, then the fleet.`, usage: { input: 80, output: 40 } });
    await panel.getByLabel('What should the document say?').fill('A rollout plan for the next firmware.');
    await panel.getByRole('button', { name: 'Draft document' }).click();
    await page.getByRole('region', { name: 'Draft preview' }).getByRole('heading', { name: `Rollout plan ${stamp}` }).waitFor();
    expect(await page.getByLabel('Title of the new document').inputValue()).toBe(`Rollout plan ${stamp}`);
    const documentsPath = `/projects/${await acmeProjectId(page)}/documents?q=${encodeURIComponent(stamp)}&limit=100`;
    expect((await apiJson<{ items: unknown[] }>(page, documentsPath)).items).toEqual([]);
    await page.getByRole('button', { name: 'Save draft as a document' }).click();
    await page.waitForURL(new RegExp(`/acme/docs/ACME/rollout-plan-${stamp}`));
    // The page's title, and the draft's own first heading in its Markdown.
    await page.getByRole('heading', { level: 1, name: `Rollout plan ${stamp}` }).first().waitFor();
    expect((await apiJson<{ items: unknown[] }>(page, documentsPath)).items).toHaveLength(1);
  });

  it('streams the project conversation as it is written, and Stop aborts it', async () => {
    const page = await e2e.newPage();
    await signIn(page, e2e.baseUrl, DEMO.acme.member);
    await page.goto(`${e2e.baseUrl}${ASSISTANT}`);
    await chooseProvider(page);
    const answer = `The rollout is on track ${stamp}: wave one finished, wave two starts on Monday and the test rig is free.`;
    fake.script({ reply: answer, chunk: 8, chunkDelayMs: 120, usage: { input: 64, output: 30 } });
    await page.getByLabel('Your question').fill('How is the rollout going?');
    await page.getByRole('button', { name: 'Send' }).click();
    const messages = page.getByRole('list', { name: 'Messages' });
    const live = messages.getByRole('listitem').last();
    // Part of the answer is on screen before the whole of it.
    await expect.poll(async () => {
      const text = (await live.textContent()) ?? '';
      return text.includes('The rollout') && !text.includes('test rig is free');
    }).toBe(true);
    await messages.getByText(answer).waitFor();
    await page.waitForURL(/\?conversation=[0-9a-f-]{36}$/);
    await expect.poll(() => page.getByText('64 tokens in, 30 out').count()).toBe(1);
    await axeCheck(page, 'assistant');
    await e2e.screenshot(page, 'assistant');

    // A long, slow answer: Stop closes the request, and the provider call with it.
    fake.script({ reply: 'word '.repeat(200), chunk: 5, chunkDelayMs: 100, usage: { input: 64, output: 200 } });
    await page.getByLabel('Your question').fill('Tell me everything.');
    await page.getByRole('button', { name: 'Send' }).click();
    await expect.poll(async () => ((await messages.getByRole('listitem').last().textContent()) ?? '').includes('word word')).toBe(true);
    await page.getByRole('button', { name: 'Stop' }).click();
    await page.getByRole('status').filter({ hasText: 'Stopped.' }).waitFor();
    await expect.poll(() => fake.seen.at(-1)?.closedEarly).toBe(true);
    await page.getByRole('button', { name: 'Send' }).waitFor();

    // On a phone the conversation fits the width.
    const phone = await e2e.newPage(PHONE);
    await signIn(phone, e2e.baseUrl, DEMO.acme.member);
    await phone.goto(`${e2e.baseUrl}${new URL(page.url()).pathname}${new URL(page.url()).search}`);
    await phone.getByRole('list', { name: 'Messages' }).getByText(answer).waitFor();
    await expectNoSidewaysScroll(phone);
    await phone.goto(`${e2e.baseUrl}${DOC}`);
    await phone.getByRole('button', { name: 'Write user stories' }).waitFor();
    await expectNoSidewaysScroll(phone);
  });

  it('shows a viewer the conversations but no generate controls', async () => {
    const viewer = await e2e.newPage();
    await signIn(viewer, e2e.baseUrl, DEMO.acme.viewer);
    const member = await e2e.newPage();
    await signIn(member, e2e.baseUrl, DEMO.acme.member);
    for (const path of [DOC, ASSISTANT, await activeSprintPath(member)]) {
      await viewer.goto(`${e2e.baseUrl}${path}`);
      await viewer.getByRole('heading', { level: 1 }).first().waitFor();
      await viewer.getByRole('main').getByRole('link').first().waitFor();
      for (const name of GENERATE_CONTROLS) expect(await viewer.getByRole('button', { name }).count(), `${name} on ${path}`).toBe(0);
      expect(await viewer.getByRole('combobox', { name: 'AI provider' }).count()).toBe(0);
      expect(await writeControls(viewer), path).toEqual([]);
    }
    await viewer.goto(`${e2e.baseUrl}${ASSISTANT}`);
    await viewer.getByRole('navigation', { name: 'Conversations' }).getByRole('link').first().waitFor();
    expect(await viewer.getByLabel('Your question').count()).toBe(0);
  });

  it('answers a summary over the budget with the limit in words, and calls nothing', async () => {
    const admin = await e2e.newPage();
    await signIn(admin, e2e.baseUrl, DEMO.acme.admin);
    await admin.goto(`${e2e.baseUrl}/acme/settings/ai/usage`);
    const budgetField = admin.getByLabel('Organization’s monthly token budget');
    await budgetField.fill('100');
    await admin.getByRole('button', { name: 'Save budget' }).click();
    await admin.getByRole('row', { name: /^Budget in force 100 tokens$/ }).waitFor();

    const page = await e2e.newPage();
    await signIn(page, e2e.baseUrl, DEMO.acme.member);
    await page.goto(`${e2e.baseUrl}${await activeSprintPath(page)}`);
    const summary = page.getByRole('region', { name: 'Sprint summary' });
    await chooseProvider(page, summary);
    const calls = fake.seen.length;
    e2e.allowConsoleError(/403/);
    await summary.getByRole('button', { name: 'Summarise sprint' }).click();
    const alert = summary.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/^This month's AI token budget is used up: [\d,]+ of 100 tokens used.*Nothing was sent to the provider/);
    expect(fake.seen.length).toBe(calls);
    await axeCheck(page, 'sprint summary over budget');

    // Back to the demo's budget, for whatever runs next on this server.
    await budgetField.fill('1500000');
    await admin.getByRole('button', { name: 'Save budget' }).click();
    await admin.getByRole('row', { name: /^Budget in force 1,500,000 tokens$/ }).waitFor();
    fake.script({ reply: '## Progress\n\nWave one is done.', usage: { input: 200, output: 20 } });
    await summary.getByRole('button', { name: 'Summarise sprint' }).click();
    await page.getByRole('region', { name: /^Summary of / }).getByRole('heading', { name: 'Progress' }).waitFor();
  });

  it("shows another organization's member nothing at the first one's AI URLs", async () => {
    const acme = await e2e.newPage();
    await signIn(acme, e2e.baseUrl, DEMO.acme.member);
    const sprint = await activeSprintPath(acme);
    const { items } = await apiJson<{ items: { conversationId: string; content: string }[] }>(acme, `/projects/${await acmeProjectId(acme)}/prompts?limit=100`);
    const conversation = items.find((message) => message.content.includes(stamp))!;
    expect(conversation).toBeDefined();

    const outsider = await e2e.newPage();
    e2e.allowConsoleError(/404/);
    await signIn(outsider, e2e.baseUrl, DEMO.globex.member);
    for (const path of [`${ASSISTANT}?conversation=${conversation.conversationId}`, DOC, sprint, '/acme/settings/ai/usage']) {
      await outsider.goto(`${e2e.baseUrl}${path}`);
      await outsider.getByRole('heading', { level: 1, name: 'Not found' }).waitFor();
      expect(await outsider.getByText(stamp).count(), path).toBe(0);
    }
    // Its own project with the first organization's conversation id: an empty conversation.
    await outsider.goto(`${e2e.baseUrl}/globex/projects/LAB/assistant?conversation=${conversation.conversationId}`);
    await outsider.getByText('This conversation has no messages.').waitFor();
    expect(await outsider.getByText(stamp).count()).toBe(0);
    const budget = await outsider.request.get(`${e2e.baseUrl}/api/v1/orgs/acme/ai/budget`);
    expect(budget.status()).toBe(404);
  });
});

import { describe, expect, it } from 'vitest';
import { DEMO, PHONE, expectNoSidewaysScroll, signIn } from './support/actions.js';
import { axeCheck } from './support/axe.js';
import { useE2E } from './support/harness.js';

const e2e = useE2E();

describe('private projects', () => {
  it('lets an owner create a private project, marks it with a lock, and shows a member who is not on it nothing at its URLs', async () => {
    const owner = await e2e.newPage();
    await signIn(owner, e2e.baseUrl, DEMO.acme.owner);
    await owner.goto(`${e2e.baseUrl}/acme/projects`);
    await owner.getByRole('button', { name: 'New project' }).click();
    const form = owner.getByRole('form', { name: 'New project' });
    const stamp = Date.now().toString(36).toUpperCase().slice(-5);
    const name = `Vault ${stamp}`;
    const key = `V${stamp.replace(/[^A-Z0-9]/g, '')}`.slice(0, 10);
    await form.getByLabel('Project name').fill(name);
    await form.getByLabel('Key').fill(key);
    await form.getByLabel('Who can see it').selectOption('private');
    await form.getByRole('button', { name: 'Create project' }).click();
    await owner.waitForURL(`${e2e.baseUrl}/acme/projects/${key}`);
    await owner.getByRole('heading', { level: 1, name: `${name} (${key})` }).waitFor();
    await owner.getByRole('img', { name: 'Private project' }).waitFor();
    const task = await owner.request.post(`${e2e.baseUrl}/api/v1/orgs/acme/projects/${encodeURIComponent(await projectIdOf(owner, key))}/tasks`, { data: { title: 'Vault task' } });
    expect(task.status()).toBe(201);

    await owner.goto(`${e2e.baseUrl}/acme/projects`);
    const card = owner.getByRole('list', { name: 'Projects' }).getByRole('listitem').filter({ hasText: name });
    await card.getByRole('img', { name: 'Private project' }).waitFor();
    await axeCheck(owner, 'projects with a private one');

    // A member of the organization who is not on the project pastes its links.
    const member = await e2e.newPage(PHONE);
    e2e.allowConsoleError(/404/);
    await signIn(member, e2e.baseUrl, DEMO.acme.member);
    await member.goto(`${e2e.baseUrl}/acme/projects/${key}`);
    await member.getByRole('heading', { level: 1, name: 'Not found' }).waitFor();
    expect(await member.getByText(name).count()).toBe(0);
    await member.goto(`${e2e.baseUrl}/acme/tasks/${key}-1`);
    await member.getByRole('heading', { level: 1, name: 'Not found' }).waitFor();
    expect(await member.getByText('Vault task').count()).toBe(0);
    await member.goto(`${e2e.baseUrl}/acme/projects`);
    await member.getByRole('list', { name: 'Projects' }).waitFor();
    expect(await member.getByText(name).count()).toBe(0);
    await expectNoSidewaysScroll(member);
  });

  it("lets the owner change who sees a project in its settings, by keyboard", async () => {
    const owner = await e2e.newPage();
    await signIn(owner, e2e.baseUrl, DEMO.acme.owner);
    await owner.goto(`${e2e.baseUrl}/acme/projects/WEB/settings`);
    const choice = owner.getByLabel('Who can see it');
    await choice.focus();
    await choice.selectOption('private');
    const saved = owner.waitForResponse((response) => response.request().method() === 'PATCH' && response.url().includes('/projects/'));
    await owner.getByRole('button', { name: 'Save project' }).press('Enter');
    expect((await (await saved).json()) as { visibility: string }).toMatchObject({ visibility: 'private' });
    await owner.getByRole('img', { name: 'Private project' }).waitFor();
    // Back as it was, for the other browser tests that share the demo data.
    await choice.selectOption('organization');
    const restored = owner.waitForResponse((response) => response.request().method() === 'PATCH' && response.url().includes('/projects/'));
    await owner.getByRole('button', { name: 'Save project' }).click();
    expect((await (await restored).json()) as { visibility: string }).toMatchObject({ visibility: 'organization' });
  });
  it("shows a project viewer no write control on the board, the task page or the settings, and their pasted writes change nothing", async () => {
    const owner = await e2e.newPage();
    await signIn(owner, e2e.baseUrl, DEMO.acme.owner);
    const stamp = Date.now().toString(36).toUpperCase().slice(-5);
    const key = `R${stamp.replace(/[^A-Z0-9]/g, '')}`.slice(0, 10);
    const created = await owner.request.post(`${e2e.baseUrl}/api/v1/orgs/acme/projects`, { data: { name: `Readout ${stamp}`, key } });
    expect(created.status()).toBe(201);
    const projectId = ((await created.json()) as { id: string }).id;
    const task = await owner.request.post(`${e2e.baseUrl}/api/v1/orgs/acme/projects/${projectId}/tasks`, { data: { title: 'Look but do not touch' } });
    expect(task.status()).toBe(201);
    const memberId = await userIdOf(owner, e2e.baseUrl, DEMO.acme.member.email);
    const setRole = async (role: string, method: 'post' | 'patch') => {
      const url = `${e2e.baseUrl}/api/v1/orgs/acme/projects/${projectId}/members${method === 'patch' ? `/${memberId}` : ''}`;
      const response = await owner.request[method](url, { data: method === 'post' ? { userId: memberId, role } : { role } });
      expect(response.status()).toBeLessThan(300);
    };
    await setRole('viewer', 'post');

    // Chloe is a member of the organization (she may write there) but this project's viewer.
    const viewer = await e2e.newPage();
    await signIn(viewer, e2e.baseUrl, DEMO.acme.member);
    await viewer.goto(`${e2e.baseUrl}/acme/projects/${key}`);
    await viewer.getByRole('link', { name: new RegExp(`${key}-1`) }).waitFor();
    await viewer.getByText('No tasks here.').first().waitFor();
    expect(await viewer.getByRole('button', { name: /^Add task to/ }).count()).toBe(0);

    await viewer.goto(`${e2e.baseUrl}/acme/tasks/${key}-1`);
    await viewer.getByText('Look but do not touch').waitFor();
    await viewer.getByText('No comments yet.').waitFor();
    const controls = {
      title: viewer.getByRole('textbox', { name: 'Title', exact: true }),
      status: viewer.getByRole('combobox', { name: 'Status', exact: true }),
      description: viewer.getByRole('button', { name: 'Edit description' }),
      comment: viewer.getByRole('textbox', { name: 'Comment', exact: true }),
    };
    for (const [name, control] of Object.entries(controls)) expect(await control.count(), name).toBe(0);
    // The project list offers her Archive on projects she writes to, and not on this one, from
    // what the list itself says of each project: not one request per card.
    const apiCalls = apiRequestsOf(viewer);
    await viewer.goto(`${e2e.baseUrl}/acme/projects`);
    const projectList = viewer.getByRole('list', { name: 'Projects' });
    await projectList.getByRole('button', { name: /^Archive / }).first().waitFor();
    await viewer.waitForLoadState('networkidle');
    const readout = projectList.getByRole('listitem').filter({ hasText: `Readout ${stamp}` });
    await readout.getByRole('link', { name: `Readout ${stamp}`, exact: true }).waitFor();
    expect(await readout.getByRole('button', { name: /archive/i }).count()).toBe(0);
    expect(await projectList.getByRole('listitem').count()).toBeGreaterThan(2);
    expect(apiCalls.filter((path) => /\/projects\/[^/]+\//.test(path)), 'requests about one project').toEqual([]);
    expect(apiCalls.filter((path) => /^\/api\/v1\/orgs\/[^/]+\/projects$/.test(path)), 'project list requests').toHaveLength(1);

    await viewer.goto(`${e2e.baseUrl}/acme/projects/${key}/settings`);
    await viewer.getByRole('heading', { level: 2, name: 'Details' }).waitFor();
    expect(await viewer.getByRole('button', { name: 'Save project' }).count()).toBe(0);

    // The writes the hidden controls would send, pasted with her session: refused, nothing changed.
    e2e.allowConsoleError(/403/);
    const taskId = ((await task.json()) as { id: string }).id;
    const refused = await viewer.request.patch(`${e2e.baseUrl}/api/v1/orgs/acme/tasks/${taskId}`, { data: { title: 'Touched' } });
    expect(refused.status()).toBe(403);
    const comment = await viewer.request.post(`${e2e.baseUrl}/api/v1/orgs/acme/tasks/${taskId}/comments`, { data: { body: 'me too' } });
    expect(comment.status()).toBe(403);
    await viewer.goto(`${e2e.baseUrl}/acme/tasks/${key}-1`);
    await viewer.getByText('Look but do not touch').waitFor();
    await viewer.getByText('No comments yet.').waitFor();

    // As the project's stakeholder she joins the discussion, and still edits nothing.
    await setRole('stakeholder', 'patch');
    await viewer.reload();
    await controls.comment.fill('Customers ask for this by Friday.');
    await viewer.getByRole('button', { name: 'Comment' }).click();
    await viewer.getByText('Customers ask for this by Friday.').waitFor();
    expect(await controls.title.count()).toBe(0);
    expect(await controls.description.count()).toBe(0);

    // As the project's lead she may archive it, and so may the organization's owner.
    await setRole('lead', 'patch');
    for (const page of [viewer, owner]) {
      await page.goto(`${e2e.baseUrl}/acme/projects`);
      const card = page.getByRole('list', { name: 'Projects' }).getByRole('listitem').filter({ hasText: `Readout ${stamp}` });
      await card.getByRole('button', { name: `Archive Readout ${stamp}` }).waitFor();
    }
  });
});

/** The paths of the API requests `page` sends from now on. */
function apiRequestsOf(page: import('playwright-core').Page): string[] {
  const paths: string[] = [];
  page.on('request', (request) => {
    const { pathname } = new URL(request.url());
    if (pathname.startsWith('/api/')) paths.push(pathname);
  });
  return paths;
}

async function userIdOf(page: import('playwright-core').Page, baseUrl: string, email: string): Promise<string> {
  const response = await page.request.get(`${baseUrl}/api/v1/orgs/acme/members?limit=100`);
  const { items } = (await response.json()) as { items: { userId: string; email: string }[] };
  const member = items.find((item) => item.email === email);
  if (!member) throw new Error(`no member ${email}`);
  return member.userId;
}

async function projectIdOf(page: import('playwright-core').Page, key: string): Promise<string> {
  const response = await page.request.get(`${page.url().split('/acme/')[0]}/api/v1/orgs/acme/projects?limit=100`);
  const { items } = (await response.json()) as { items: { id: string; key: string }[] };
  const project = items.find((item) => item.key === key);
  if (!project) throw new Error(`no project ${key}`);
  return project.id;
}

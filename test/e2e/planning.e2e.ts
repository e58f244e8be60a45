import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DEMO, PHONE, expectNoSidewaysScroll, signIn, writeControls } from './support/actions.js';
import { axeCheck } from './support/axe.js';
import { useE2E } from './support/harness.js';
import { keyboardDrag, mouseDrag } from './support/drag.js';

const e2e = useE2E();
const PROJECT = '/acme/projects/ACME';
// The demo's ACME sprints: 1 completed, 2 active, 3 planned.
const ACTIVE = 'ACME Sprint 2';
const PLANNED = 'ACME Sprint 3';

const lane = (page: Page, name: string) => page.getByRole('list', { name, exact: true });
const rows = (page: Page, name: string) => lane(page, name).getByRole('link');

/** The references in a lane, top to bottom. */
async function refsIn(page: Page, name: string): Promise<string[]> {
  return (await rows(page, name).allTextContents()).map((text) => /^(ACME-\d+)/.exec(text)?.[1] ?? `? ${text}`);
}

async function openBacklog(page: Page) {
  await page.goto(`${e2e.baseUrl}${PROJECT}/backlog`);
  await lane(page, 'Backlog').waitFor();
}

type ApiTask = { ref: string; status: string; storyPoints: number | null; epicId: string | null };

/** The server's own answer, through the signed-in page's cookies. */
async function apiGet<T>(page: Page, path: string): Promise<T> {
  const response = await page.request.get(`${e2e.baseUrl}/api/v1/orgs/acme${path}`);
  expect(response.status(), path).toBe(200);
  return (await response.json()) as T;
}

async function projectId(page: Page): Promise<string> {
  const { items } = await apiGet<{ items: { id: string; key: string }[] }>(page, '/projects?limit=100');
  return items.find((project) => project.key === 'ACME')!.id;
}

/** The answer to a drop's last request: every drop and menu choice ends with a move. */
const planSaved = (page: Page) =>
  page.waitForResponse((response) => /\/tasks\/[^/]+\/move$/.test(new URL(response.url()).pathname) && response.request().method() === 'POST');


describe('planning', () => {
  it('plans a sprint by mouse, keyboard and menu; creates, completes and starts sprints; the sprint page charts come from the server', async () => {
    // README pictures of the demo data, before this test changes it.
    const shot = await e2e.newPage({ viewport: { width: 1440, height: 900 } });
    await signIn(shot, e2e.baseUrl, DEMO.acme.owner);
    await openBacklog(shot);
    await e2e.screenshot(shot, 'backlog');
    await shot.getByRole('link', { name: ACTIVE, exact: true }).click();
    await shot.getByRole('img', { name: /^Burndown / }).waitFor();
    await shot.getByRole('img', { name: /^Velocity / }).waitFor();
    await e2e.screenshot(shot, 'sprint');

    // Tall enough that both sprints and the backlog are on screen for the mouse.
    const page = await e2e.newPage({ viewport: { width: 1280, height: 1600 } });
    await signIn(page, e2e.baseUrl, DEMO.acme.member);
    await openBacklog(page);
    const id = await projectId(page);

    // The backlog is the server's position order of the tasks without a sprint.
    const backlog = await apiGet<{ items: ApiTask[] }>(page, `/projects/${id}/tasks?sprintId=none&sort=position&limit=100`);
    expect(backlog.items.length).toBeGreaterThan(2);
    expect(await refsIn(page, 'Backlog')).toEqual(backlog.items.map((task) => task.ref));
    expect(await page.getByRole('heading', { level: 2 }).allTextContents()).toEqual(expect.arrayContaining([ACTIVE, PLANNED, 'Backlog']));
    await axeCheck(page, 'backlog');

    // Mouse: the first backlog task onto the top of the planned sprint.
    const dragged = (await refsIn(page, 'Backlog'))[0]!;
    const plannedBefore = await refsIn(page, PLANNED);
    let saved = planSaved(page);
    await mouseDrag(page, dragged, rows(page, 'Backlog').first(), rows(page, PLANNED).first(), new RegExp(`in ${PLANNED}, position 1 of`));
    expect((await saved).status()).toBe(200);
    expect(await refsIn(page, 'Backlog')).not.toContain(dragged);
    expect(await refsIn(page, PLANNED)).toEqual([dragged, ...plannedBefore]);

    // Keyboard: Space picks up, ArrowDown moves one place, Space drops.
    const [first, second] = await refsIn(page, PLANNED);
    await rows(page, PLANNED).first().focus();
    saved = planSaved(page);
    await keyboardDrag(page, first!, 'ArrowDown', new RegExp(`in ${PLANNED}, position 2 of`));
    expect((await saved).status()).toBe(200);
    expect((await refsIn(page, PLANNED)).slice(0, 2)).toEqual([second, first]);

    // Without dragging: a task's sprint menu.
    const menued = (await refsIn(page, 'Backlog'))[0]!;
    saved = planSaved(page);
    await page.getByRole('combobox', { name: `Move ${menued} to sprint` }).selectOption({ label: PLANNED });
    expect((await saved).status()).toBe(200);
    expect((await refsIn(page, PLANNED)).at(-1)).toBe(menued);

    // Membership and order survive a reload, and are what the server holds.
    const planned = await refsIn(page, PLANNED);
    await page.reload();
    await lane(page, 'Backlog').waitFor();
    expect(await refsIn(page, PLANNED)).toEqual(planned);
    expect(await refsIn(page, 'Backlog')).not.toContain(dragged);

    // A new sprint appears as a lane of its own.
    await page.getByRole('button', { name: 'New sprint' }).click();
    await page.getByLabel('Sprint name').fill('ACME Sprint 4');
    await page.getByRole('button', { name: 'Create sprint' }).click();
    await lane(page, 'ACME Sprint 4').waitFor();

    // Complete the active sprint, its unfinished work to the backlog.
    const unfinished = (await apiGet<{ items: ApiTask[] }>(page, `/projects/${id}/tasks?sort=position&limit=100&status=todo,in_progress,in_review`)).items;
    const activeRefs = await refsIn(page, ACTIVE);
    const leaving = activeRefs.filter((ref) => unfinished.some((task) => task.ref === ref));
    expect(leaving.length).toBeGreaterThan(0);
    await page.getByRole('button', { name: `Complete ${ACTIVE}` }).click();
    const dialog = page.getByRole('dialog', { name: `Complete ${ACTIVE}` });
    await dialog.getByRole('radio', { name: 'Backlog' }).check();
    await dialog.getByRole('button', { name: 'Complete sprint' }).click();
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => lane(page, ACTIVE).count()).toBe(0);
    await expect.poll(() => refsIn(page, 'Backlog')).toEqual(expect.arrayContaining(leaving));

    // With none running, the planned sprint can start.
    await page.getByRole('button', { name: `Start ${PLANNED}` }).click();
    await expect.poll(async () => (await lane(page, PLANNED).locator('xpath=..').textContent()) ?? '').toContain('Active');
    expect(await page.getByRole('button', { name: `Start ACME Sprint 4` }).count()).toBe(0);
    await page.getByRole('button', { name: `Complete ${PLANNED}` }).waitFor();

    // The sprint page: both charts, named, each followed by a table of the server's numbers.
    await page.getByRole('link', { name: 'Sprints', exact: true }).click();
    await page.getByRole('link', { name: ACTIVE, exact: true }).click();
    await page.waitForURL(/\/acme\/projects\/ACME\/sprints\/[0-9a-f-]{36}$/);
    const sprintId = page.url().split('/').at(-1)!;
    const burndownImage = page.getByRole('img', { name: /^Burndown / });
    const velocityImage = page.getByRole('img', { name: /^Velocity / });
    await burndownImage.waitFor();
    await velocityImage.waitFor();
    const burndown = await apiGet<{ days: { date: string; remaining: number }[]; totals: { remaining: number } }>(page, `/sprints/${sprintId}/burndown`);
    const burndownTable = page.getByRole('table', { name: `Burndown of ${ACTIVE}, points per day` });
    expect(await burndownTable.getByRole('row').count()).toBe(burndown.days.length + 1);
    const lastDay = burndown.days.at(-1)!;
    expect(await burndownTable.getByRole('row', { name: new RegExp(`^${lastDay.date} ${lastDay.remaining} `) }).count()).toBe(1);
    expect(await burndownImage.getAttribute('aria-label')).toContain(`${burndown.totals.remaining} of`);
    const velocity = await apiGet<{ items: { name: string; committed: number; completed: number }[] }>(page, `/projects/${id}/velocity`);
    expect(velocity.items.map((item) => item.name)).toEqual([ACTIVE, 'ACME Sprint 1']);
    const velocityTable = page.getByRole('table', { name: 'Velocity per completed sprint, in points' });
    for (const item of velocity.items) {
      expect(await velocityTable.getByRole('row', { name: new RegExp(`^${item.name} .* ${item.committed} ${item.completed}$`) }).count()).toBe(1);
    }
    expect(await page.getByRole('list', { name: `Tasks of ${ACTIVE}` }).getByRole('link').count()).toBeGreaterThan(0);
    await axeCheck(page, 'sprint page');
  });

  it('shows epics with their progress; members create and edit them', async () => {
    const page = await e2e.newPage();
    await signIn(page, e2e.baseUrl, DEMO.acme.admin);
    await page.goto(`${e2e.baseUrl}${PROJECT}/epics`);
    const epics = page.getByRole('list', { name: 'Epics' });
    await epics.waitFor();
    const id = await projectId(page);
    const { items: epicList } = await apiGet<{ items: { id: string; title: string }[] }>(page, `/projects/${id}/epics?limit=100`);
    for (const epic of epicList) {
      const { items } = await apiGet<{ items: ApiTask[] }>(page, `/projects/${id}/tasks?epicId=${epic.id}&limit=100`);
      const counted = items.filter((task) => task.status !== 'canceled');
      const done = counted.filter((task) => task.status === 'done').length;
      const bar = page.getByRole('progressbar', { name: `Progress of ${epic.title}` });
      expect(await bar.getAttribute('value')).toBe(String(done));
      expect(await epics.getByRole('listitem').filter({ hasText: epic.title }).textContent()).toContain(`${done} of ${counted.length} tasks done`);
    }
    await axeCheck(page, 'epics');

    await page.getByRole('button', { name: 'New epic' }).click();
    await page.getByLabel('Epic title').fill('Charging dashboard');
    await page.getByRole('button', { name: 'Create epic' }).click();
    await epics.getByRole('link', { name: 'Charging dashboard' }).click();
    await page.getByRole('heading', { level: 1, name: 'Charging dashboard' }).waitFor();
    await page.getByText('0 of 0 tasks done').waitFor();
    await page.getByRole('button', { name: 'Edit epic' }).click();
    await page.getByLabel('Epic title').fill('Charging dashboard v2');
    await page.getByLabel('Status').selectOption({ label: 'In progress' });
    await page.getByRole('button', { name: 'Save epic' }).click();
    await page.getByRole('heading', { level: 1, name: 'Charging dashboard v2' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Charging dashboard v2' }).waitFor();
    expect(await page.getByText(/^In progress ·/).count()).toBe(1);

    // An epic of the demo lists its tasks.
    await page.getByRole('link', { name: 'Epics', exact: true }).click();
    await epics.getByRole('link', { name: epicList[0]!.title }).click();
    const epicTasks = page.getByRole('list', { name: `Tasks of ${epicList[0]!.title}` });
    await epicTasks.waitFor();
    expect(await epicTasks.getByRole('link').count()).toBeGreaterThan(0);
    await axeCheck(page, 'epic page');
  });

  it('shows a viewer everything and no write control, fits a phone, and shows another tenant nothing', async () => {
    const viewer = await e2e.newPage();
    await signIn(viewer, e2e.baseUrl, DEMO.acme.viewer);
    await openBacklog(viewer);
    expect((await refsIn(viewer, 'Backlog')).length).toBeGreaterThan(0);
    expect(await writeControls(viewer)).toEqual([]);
    expect(await viewer.getByRole('combobox', { name: /^Move / }).count()).toBe(0);
    expect(await viewer.getByRole('button', { name: /^(Start|Complete) / }).count()).toBe(0);
    await axeCheck(viewer, 'backlog as viewer');
    await viewer.getByRole('link', { name: 'Sprints', exact: true }).click();
    await viewer.getByRole('list', { name: 'Sprints' }).getByRole('link', { name: ACTIVE, exact: true }).click();
    await viewer.getByRole('img', { name: /^Burndown / }).waitFor();
    await viewer.getByRole('img', { name: /^Velocity / }).waitFor();
    const sprintUrl = viewer.url();
    expect(await writeControls(viewer)).toEqual([]);
    expect(await viewer.getByRole('button', { name: /^Complete / }).count()).toBe(0);
    await axeCheck(viewer, 'sprint as viewer');
    await viewer.getByRole('link', { name: 'Epics', exact: true }).click();
    await viewer.getByRole('progressbar').first().waitFor();
    expect(await writeControls(viewer)).toEqual([]);

    const phone = await e2e.newPage(PHONE);
    await signIn(phone, e2e.baseUrl, DEMO.acme.member);
    await openBacklog(phone);
    await expectNoSidewaysScroll(phone);
    await phone.goto(sprintUrl);
    await phone.getByRole('img', { name: /^Burndown / }).waitFor();
    await expectNoSidewaysScroll(phone);
    await phone.goto(`${e2e.baseUrl}${PROJECT}/epics`);
    await phone.getByRole('progressbar').first().waitFor();
    await expectNoSidewaysScroll(phone);

    const outsider = await e2e.newPage();
    const leaked: string[] = [];
    outsider.on('response', (response) => {
      if (response.url().includes('/api/v1/')) {
        void response
          .text()
          .then((body) => {
            if (body.includes('ACME-') || body.includes('ACME Sprint')) leaked.push(response.url());
          })
          .catch(() => undefined);
      }
    });
    await signIn(outsider, e2e.baseUrl, DEMO.globex.owner);
    for (const url of [`${PROJECT}/backlog`, new URL(sprintUrl).pathname, `${PROJECT}/epics`]) {
      await outsider.goto(`${e2e.baseUrl}${url}`);
      await outsider.getByRole('heading', { name: 'Not found' }).waitFor();
      expect(await outsider.getByRole('img').count()).toBe(0);
    }
    expect(leaked).toEqual([]);
  });
});

import type { Locator, Page } from 'playwright-core';

/** dnd-kit's live region: what a screen reader hears while a task is dragged. */
const announcement = (page: Page) => page.locator('[id^="DndLiveRegion"]');

const announced = (page: Page, pattern: RegExp, timeout?: number) =>
  announcement(page)
    .filter({ hasText: pattern })
    .waitFor({ state: 'attached', ...(timeout === undefined ? {} : { timeout }) });

/** `place` as the live region says it of the dragged task, e.g. /in To do, position 2 of/. */
const isAt = (ref: string, place: RegExp) => new RegExp(`^${ref} is ${place.source}`);

/**
 * A mouse drag as a person makes it: press, travel in steps, and let go once the page says the
 * task is at `place`. On a busy machine the pointer can outrun the page's measuring, so until it
 * says so the pointer keeps nudging over the target, as a hand would.
 */
export async function mouseDrag(page: Page, ref: string, source: Locator, target: Locator, place: RegExp) {
  const from = await source.boundingBox();
  const to = await target.boundingBox();
  if (!from || !to) throw new Error('drag source or target is not visible');
  await page.mouse.move(from.x + 20, from.y + from.height / 2);
  await page.mouse.down();
  await page.mouse.move(from.x + 32, from.y + from.height / 2 + 12, { steps: 4 });
  await page.mouse.move(to.x + 40, to.y + 6, { steps: 20 });
  for (let nudge = 0; ; nudge += 1) {
    try {
      await announced(page, isAt(ref, place), 2_000);
      break;
    } catch (error) {
      if (nudge === 10) throw error;
      await page.mouse.move(to.x + 40 + (nudge % 2), to.y + 6, { steps: 2 });
    }
  }
  await page.mouse.up();
  await announced(page, new RegExp(`^Dropped ${ref} `));
}

/**
 * Moves the focused task with the keyboard: Space picks it up, one arrow key moves it, and Space
 * drops it once the page says it is at `place`. Each key waits until the page has taken the one
 * before: dnd-kit measures the lists and starts listening for the arrows only after the pick-up,
 * so keys sent on a fixed beat were lost, or moved by stale measures, on a busy machine (CI saw
 * it).
 */
export async function keyboardDrag(page: Page, ref: string, arrow: string, place: RegExp) {
  await page.keyboard.press('Space');
  // Said once the lists are measured, which the arrows need; the text before was "Dropped …".
  await announced(page, new RegExp(`^${ref} is `));
  // A timer set now runs after dnd-kit's, so its key listener is in place.
  await page.evaluate(() => new Promise((done) => setTimeout(done, 0)));
  await page.keyboard.press(arrow);
  await announced(page, isAt(ref, place));
  await page.keyboard.press('Space');
  await announced(page, new RegExp(`^Dropped ${ref} `));
}

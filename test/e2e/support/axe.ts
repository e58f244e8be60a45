import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

const axeSource = (createRequire(import.meta.url)('axe-core') as { source: string }).source;

type Violation = { id: string; impact: string | null; help: string; nodes: unknown[] };

/**
 * Runs axe on the page as it is, in light and then dark colours, and fails on any serious or
 * critical violation, naming the rule and the elements. The script is evaluated through the
 * browser's debugging protocol, which the page's CSP does not govern, so the CSP stays strict.
 */
export async function axeCheck(page: Page, label = page.url()): Promise<void> {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    // Strings, because the test project has no DOM types.
    if (!(await page.evaluate<boolean>("'axe' in window"))) await page.evaluate(axeSource);
    const violations = await page.evaluate<Violation[]>(
      `axe.run(document, { resultTypes: ['violations'] }).then((result) =>
        result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target) })))`,
    );
    const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious, `axe on ${label} (${colorScheme})`).toEqual([]);
  }
  await page.emulateMedia({ colorScheme: null });
}

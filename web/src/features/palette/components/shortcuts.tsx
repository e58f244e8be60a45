import { Suspense, lazy, useCallback, useEffect, useState } from 'react';
import type { PaletteProject } from './command-palette';
import { Modal } from './modal';
import '../palette.css';

// cmdk loads with the first Ctrl-K, not with every page.
const CommandPalette = lazy(async () => ({ default: (await import('./command-palette')).CommandPalette }));

/** What each key does; shown behind `?`. */
export const SHORTCUTS: { keys: string; does: string }[] = [
  { keys: 'Ctrl K / ⌘ K', does: 'Open the command palette: tasks by reference or title, projects, actions' },
  { keys: 'c', does: 'Create: a task in the current project, else the palette’s create actions' },
  { keys: '/', does: 'Search: the page’s search field, else the command palette' },
  { keys: 'j / k', does: 'Next / previous item in the list (board cards, the backlog and sprints, task lists, documents, activity)' },
  { keys: '?', does: 'Show these shortcuts' },
  { keys: 'Esc', does: 'Close the palette or this list' },
];

/** What `j`/`k` walk through: board cards, and any list a screen marks with data-shortcut-item. */
const ITEMS = '[data-shortcut-item], a.task-card';
/** What `c` opens: the board's first "Add task to …" button, or anything marked as the page's create action. */
const CREATE = '[data-shortcut="create"], .quick-create-open';
const SEARCH = 'main input[type="search"], main [role="search"] input';

function typingIn(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName) || target.closest('dialog[open]') !== null;
}

function visible(selector: string): HTMLElement[] {
  return [...document.querySelectorAll<HTMLElement>(selector)].filter((element) => element.offsetParent !== null || element.getClientRects().length > 0);
}

function moveFocus(step: 1 | -1) {
  const items = visible(ITEMS);
  if (items.length === 0) return;
  const current = items.findIndex((item) => item === document.activeElement || item.contains(document.activeElement));
  const next = items[current === -1 ? (step === 1 ? 0 : items.length - 1) : Math.min(items.length - 1, Math.max(0, current + step))]!;
  const focusable = next.matches('a, button, [tabindex]') ? next : (next.querySelector<HTMLElement>('a, button, [tabindex]') ?? next);
  focusable.focus();
  focusable.scrollIntoView({ block: 'nearest' });
}

function startCreate(): boolean {
  const opener = visible(CREATE)[0];
  opener?.click();
  return opener !== undefined;
}

/** After the palette navigates to a board: its create button appears once the board has loaded. */
function startCreateSoon(): boolean {
  let tries = 0;
  const attempt = () => {
    if (!startCreate() && ++tries < 50) setTimeout(attempt, 100);
  };
  attempt();
  return true;
}

type Props = { orgId: string; orgSlug: string; projects: PaletteProject[]; canWrite: boolean };

/** The organization's keyboard layer: the palette, the shortcut list, and the single-key shortcuts (never while typing). */
export function OrgShortcuts({ orgId, orgSlug, projects, canWrite }: Props) {
  const [palette, setPalette] = useState(false);
  const [paletteUsed, setPaletteUsed] = useState(false);
  if (palette && !paletteUsed) setPaletteUsed(true);
  const [help, setHelp] = useState(false);
  const closePalette = useCallback(() => setPalette(false), []);
  const closeHelp = useCallback(() => setHelp(false), []);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === 'k') {
        event.preventDefault();
        setHelp(false);
        setPalette((open) => !open);
        return;
      }
      if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented || typingIn(event.target)) return;
      const act = (run: () => void) => {
        event.preventDefault();
        run();
      };
      switch (event.key) {
        case '?':
          return act(() => setHelp(true));
        case '/':
          return act(() => {
            const field = visible(SEARCH)[0];
            if (field) field.focus();
            else setPalette(true);
          });
        case 'c':
          return act(() => {
            if (!(canWrite && startCreate())) setPalette(true);
          });
        case 'j':
          return act(() => moveFocus(1));
        case 'k':
          return act(() => moveFocus(-1));
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [canWrite]);

  return (
    <>
      {paletteUsed ? (
        <Suspense fallback={null}>
          <CommandPalette orgId={orgId} orgSlug={orgSlug} projects={projects} canWrite={canWrite} open={palette} onClose={closePalette} startCreate={startCreateSoon} />
        </Suspense>
      ) : null}
      <Modal open={help} onClose={closeHelp} label="Keyboard shortcuts" className="shortcut-help">
        <h2>Keyboard shortcuts</h2>
        <table>
          <caption className="visually-hidden">Keyboard shortcuts</caption>
          <thead>
            <tr>
              <th scope="col">Keys</th>
              <th scope="col">What they do</th>
            </tr>
          </thead>
          <tbody>
            {SHORTCUTS.map((shortcut) => (
              <tr key={shortcut.keys}>
                <td>
                  <kbd>{shortcut.keys}</kbd>
                </td>
                <td>{shortcut.does}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <button type="button" className="button-quiet" onClick={closeHelp}>
          Close
        </button>
      </Modal>
    </>
  );
}

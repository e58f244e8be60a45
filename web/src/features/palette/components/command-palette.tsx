import { useNavigate, useParams } from '@tanstack/react-router';
import { Command } from 'cmdk';
import { useEffect, useMemo, useRef, useState } from 'react';
import { type PaletteTask, useRecentTasks, useTaskByRef } from '../api';
import { Modal } from './modal';

export type PaletteProject = { key: string; name: string; archived: boolean };

type Option = { value: string; group: 'Tasks' | 'Projects' | 'Actions'; label: string; hint?: string; run: () => void };

type Props = {
  orgId: string;
  orgSlug: string;
  projects: PaletteProject[];
  canWrite: boolean;
  open: boolean;
  onClose: () => void;
  /** Opens a new-task box on the current page (the board's), when there is one. */
  startCreate: () => boolean;
};

const MAX_TASKS = 8;

/**
 * Ctrl/Cmd-K: tasks by reference or title, projects, and actions. An exact reference is the
 * first option whatever else matches, so "ACME-7" then Enter always opens ACME-7.
 */
export function CommandPalette({ orgId, orgSlug, projects, canWrite, open, onClose, startCreate }: Props) {
  const [search, setSearch] = useState('');
  const [selected, setSelected] = useState('');
  const navigate = useNavigate();
  const params = useParams({ strict: false });
  const currentKey = typeof params.key === 'string' ? params.key.toUpperCase() : null;
  const recent = useRecentTasks(orgId, open);
  const exact = useTaskByRef(orgId, search);

  const go = (run: () => Promise<void>) => () => {
    onClose();
    void run();
  };
  const openTask = (task: PaletteTask) => go(() => navigate({ to: '/$orgSlug/tasks/$ref', params: { orgSlug, ref: task.ref } }));

  const options = useMemo(() => {
    const text = search.trim().toLowerCase();
    const matches = (...fields: string[]) => text === '' || fields.some((field) => field.toLowerCase().includes(text));
    const list: Option[] = [];
    const exactTask = exact.data && exact.data.ref.toLowerCase() === text ? exact.data : null;
    if (exactTask) list.push({ value: `task:${exactTask.ref}`, group: 'Tasks', label: `${exactTask.ref} ${exactTask.title}`, run: openTask(exactTask) });
    const tasks = (recent.data ?? []).filter((task) => task.ref !== exactTask?.ref && matches(task.ref, task.title)).slice(0, MAX_TASKS);
    for (const task of tasks) list.push({ value: `task:${task.ref}`, group: 'Tasks', label: `${task.ref} ${task.title}`, run: openTask(task) });
    for (const project of projects.filter((candidate) => matches(candidate.key, candidate.name))) {
      list.push({
        value: `project:${project.key}`,
        group: 'Projects',
        label: `${project.name} (${project.key})`,
        hint: project.archived ? 'archived' : undefined,
        run: go(() => navigate({ to: '/$orgSlug/projects/$key', params: { orgSlug, key: project.key } })),
      });
    }
    const actions: Omit<Option, 'group'>[] = [];
    const target = projects.find((project) => project.key === currentKey && !project.archived);
    if (canWrite && target) {
      actions.push({
        value: 'action:new-task',
        label: `New task in ${target.key}`,
        run: go(async () => {
          await navigate({ to: '/$orgSlug/projects/$key', params: { orgSlug, key: target.key } });
          startCreate();
        }),
      });
    }
    actions.push({ value: 'action:projects', label: 'Go to projects', run: go(() => navigate({ to: '/$orgSlug/projects', params: { orgSlug } })) });
    actions.push({ value: 'action:docs', label: 'Go to documents', run: go(() => navigate({ to: '/$orgSlug/docs', params: { orgSlug } })) });
    if (target) {
      actions.push({
        value: 'action:insights',
        label: `Go to insights of ${target.key}`,
        run: go(() => navigate({ to: '/$orgSlug/projects/$key/insights', params: { orgSlug, key: target.key } })),
      });
    }
    actions.push({ value: 'action:settings', label: 'Go to settings', run: go(() => navigate({ to: '/$orgSlug/settings', params: { orgSlug } })) });
    for (const action of actions.filter((candidate) => matches(candidate.label))) list.push({ ...action, group: 'Actions' });
    return list;
  }, [search, exact.data, recent.data, projects, currentKey, canWrite, orgSlug]);

  // The first option is the one Enter takes, whenever the options change.
  const first = options[0]?.value ?? '';
  useEffect(() => setSelected(first), [first]);
  useEffect(() => {
    if (!open) setSearch('');
  }, [open]);

  const input = useRef<HTMLInputElement>(null);
  const groups = (['Tasks', 'Projects', 'Actions'] as const).map((group) => ({ group, items: options.filter((option) => option.group === group) }));
  return (
    <Modal open={open} onClose={onClose} label="Command palette" initialFocus={input} className="palette">
      <Command label="Search tasks, projects and actions" shouldFilter={false} value={selected} onValueChange={setSelected} loop>
        <Command.Input ref={input} value={search} onValueChange={setSearch} placeholder="Task reference or title, project, action…" />
        <Command.List label="Results">
          {recent.isPending || exact.isFetching ? <Command.Loading label="Searching tasks…">Searching tasks…</Command.Loading> : null}
          <Command.Empty>Nothing matches “{search}”.</Command.Empty>
          {groups.map(({ group, items }) =>
            items.length === 0 ? null : (
              <Command.Group key={group} heading={group}>
                {items.map((option) => (
                  <Command.Item key={option.value} value={option.value} onSelect={option.run}>
                    {option.label}
                    {option.hint ? <span className="muted"> ({option.hint})</span> : null}
                  </Command.Item>
                ))}
              </Command.Group>
            ),
          )}
        </Command.List>
      </Command>
      <p className="hint">↑ ↓ to choose, Enter to open, Esc to close. Press ? outside a field for all shortcuts.</p>
    </Modal>
  );
}

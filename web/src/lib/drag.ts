import { type Announcements, KeyboardSensor, PointerSensor, type UniqueIdentifier, useSensor, useSensors } from '@dnd-kit/core';
import { sortableKeyboardCoordinates } from '@dnd-kit/sortable';
import { useNavigate } from '@tanstack/react-router';
import { useCallback, useEffect, useRef } from 'react';
import type { Task } from './task-vocabulary';

/**
 * Drag and drop of task links (board cards, backlog rows): a click opens the task, only a
 * pointer that travels picks it up; on the keyboard Space picks up and drops, the arrows move,
 * Escape cancels, and Enter still follows the link.
 */
export function useTaskDragSensors() {
  return useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 6 } }),
    useSensor(KeyboardSensor, {
      coordinateGetter: sortableKeyboardCoordinates,
      keyboardCodes: { start: ['Space'], cancel: ['Escape'], end: ['Space'] },
    }),
  );
}

/**
 * The click that ends a mouse drag is not a request to open the task. Caught on the document,
 * in the capture phase, because the dropped link may have been re-rendered under the pointer.
 * Set the returned ref to `Number.MAX_SAFE_INTEGER` when a drag starts and to `Date.now()`
 * when it ends or is cancelled.
 */
export function useDragClickGuard() {
  const dragEndedAt = useRef(0);
  useEffect(() => {
    const swallow = (event: MouseEvent) => {
      if (Date.now() - dragEndedAt.current < 400) {
        event.preventDefault();
        event.stopPropagation();
      }
    };
    document.addEventListener('click', swallow, true);
    return () => document.removeEventListener('click', swallow, true);
  }, []);
  return dragEndedAt;
}

/** Follows a task link inside the app (a plain click only; modified clicks keep the browser's way). */
export function useOpenTask(orgSlug: string) {
  const navigate = useNavigate();
  return useCallback(
    (event: React.MouseEvent<HTMLAnchorElement>, task: Task) => {
      if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      event.preventDefault();
      void navigate({ to: '/$orgSlug/tasks/$ref', params: { orgSlug, ref: task.ref } });
    },
    [navigate, orgSlug],
  );
}

/**
 * Where the dragged task would land in `list`, counted from 1: on the task it is over (where a
 * drop puts it, as `arrayMove` does), or where it already is when it is over itself or the list.
 */
export function dropPosition(list: readonly { id: string }[], id: UniqueIdentifier, overId: UniqueIdentifier | undefined): number {
  const over = list.findIndex((task) => task.id === overId);
  return (over >= 0 ? over : list.findIndex((task) => task.id === id)) + 1;
}

/**
 * What a screen reader hears while a task is dragged, for any list of task lists: `refOf` names
 * the task, `positionIn` says where it is relative to the list under it.
 */
export function taskDragAnnouncements(
  refOf: (id: UniqueIdentifier) => string,
  positionIn: (id: UniqueIdentifier, overId: UniqueIdentifier | undefined) => string,
): Announcements {
  return {
    onDragStart: ({ active }) => `Picked up ${refOf(active.id)}, ${positionIn(active.id, active.id)}.`,
    onDragOver: ({ active, over }) => `${refOf(active.id)} is ${positionIn(active.id, over?.id)}.`,
    onDragEnd: ({ active, over }) => `Dropped ${refOf(active.id)} ${positionIn(active.id, over?.id)}.`,
    onDragCancel: ({ active }) => `Moving ${refOf(active.id)} was cancelled; it is back where it was.`,
  };
}

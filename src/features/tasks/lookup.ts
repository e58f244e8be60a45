import type { TaskLookup } from './repository.js';
import { TASK_REF } from './schemas.js';

/** A task id or a reference such as `ACME-7`, as the path carries it. */
export function taskLookup(idOrRef: string): TaskLookup {
  return referenceOf(idOrRef) ?? { id: idOrRef };
}

/** The project key and number of a reference such as `ACME-7`; undefined for anything else. */
export function referenceOf(text: string): { key: string; number: number } | undefined {
  const ref = TASK_REF.exec(text);
  return ref?.[1] && ref[2] ? { key: ref[1], number: Number(ref[2]) } : undefined;
}

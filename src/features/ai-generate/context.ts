import { and, asc, desc, eq, isNull } from 'drizzle-orm';
import { documents, projectPrompts, projects, sprints, tasks } from '../../db/schema/index.js';
import type { Tx } from '../../db/tenant-context.js';
import { found } from '../shared/service-call.js';

/** How many earlier messages of a conversation go back to the model. */
const HISTORY_MESSAGES = 40;

/** What the model is told besides the prompt: read under RLS in the caller's transaction. */
export type GenerationContext = {
  project?: { id: string; name: string; description: string | null };
  document?: { id: string; projectId: string; title: string; content: string };
  sprint?: { id: string; projectId: string; name: string; goal: string | null; status: string; startDate: string | null; endDate: string | null };
  sprintTasks?: { title: string; status: string; storyPoints: number | null; type: string }[];
  history?: { role: 'user' | 'assistant' | 'system'; content: string }[];
};

export async function readProject(tx: Tx, organizationId: string, id: string) {
  const [row] = await tx
    .select({ id: projects.id, name: projects.name, description: projects.description })
    .from(projects)
    .where(and(eq(projects.organizationId, organizationId), eq(projects.id, id), isNull(projects.deletedAt)));
  return found(row, 'project');
}

export async function readDocument(tx: Tx, organizationId: string, id: string) {
  const [row] = await tx
    .select({ id: documents.id, projectId: documents.projectId, title: documents.title, content: documents.content })
    .from(documents)
    .where(and(eq(documents.organizationId, organizationId), eq(documents.id, id), isNull(documents.deletedAt)));
  return found(row, 'document');
}

/** A sprint by id, or the project's active sprint, else its latest one. */
export async function readSprint(tx: Tx, organizationId: string, pick: { sprintId?: string; projectId?: string }) {
  const columns = {
    id: sprints.id, projectId: sprints.projectId, name: sprints.name, goal: sprints.goal,
    status: sprints.status, startDate: sprints.startDate, endDate: sprints.endDate,
  };
  const where = pick.sprintId
    ? and(eq(sprints.organizationId, organizationId), eq(sprints.id, pick.sprintId))
    : and(eq(sprints.organizationId, organizationId), eq(sprints.projectId, pick.projectId ?? ''));
  const [row] = await tx.select(columns).from(sprints).where(where).orderBy(desc(eq(sprints.status, 'active')), desc(sprints.createdAt)).limit(1);
  return found(row, 'sprint');
}

export async function readSprintTasks(tx: Tx, organizationId: string, sprintId: string) {
  return tx
    .select({ title: tasks.title, status: tasks.status, storyPoints: tasks.storyPoints, type: tasks.type })
    .from(tasks)
    .where(and(eq(tasks.organizationId, organizationId), eq(tasks.sprintId, sprintId), isNull(tasks.deletedAt)))
    .orderBy(asc(tasks.position))
    .limit(500);
}

/** The conversation's latest messages, oldest first. */
export async function readConversation(tx: Tx, organizationId: string, projectId: string, conversationId: string) {
  const rows = await tx
    .select({ role: projectPrompts.role, content: projectPrompts.content })
    .from(projectPrompts)
    .where(and(eq(projectPrompts.organizationId, organizationId), eq(projectPrompts.projectId, projectId), eq(projectPrompts.conversationId, conversationId)))
    .orderBy(desc(projectPrompts.id))
    .limit(HISTORY_MESSAGES);
  return rows.reverse();
}

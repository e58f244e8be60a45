import type { ModelMessage } from 'ai';
import { z } from 'zod';
import type { GenerationTask } from '../../db/schema/index.js';
import type { GenerationContext } from './context.js';

export type Conversation = { system: string; messages: ModelMessage[] };

const SYSTEMS: Record<GenerationTask, string> = {
  stories:
    'You write user stories for a software team. Answer with JSON only, no prose: ' +
    '{"stories":[{"title":"As a … I want … so that …","description":"…","acceptanceCriteria":["Given … when … then …"]}]}.',
  document: 'You draft product documents (PRDs, specifications) in Markdown: a title, then clear sections. Answer with the document only.',
  chat: "You are the project's assistant. Answer briefly and concretely.",
  'sprint-summary': 'You summarise a sprint for its team and stakeholders in Markdown: progress, what is done, what is at risk, and next steps.',
};

function contextText(context: GenerationContext): string {
  const parts: string[] = [];
  if (context.project) parts.push(`Project: ${context.project.name}${context.project.description ? `\n${context.project.description}` : ''}`);
  if (context.document) parts.push(`Document "${context.document.title}":\n${context.document.content}`);
  if (context.sprint) {
    const { name, goal, status, startDate, endDate } = context.sprint;
    const lines = (context.sprintTasks ?? []).map((t) => `- [${t.status}] ${t.title} (${t.type}${t.storyPoints === null ? '' : `, ${t.storyPoints} points`})`);
    parts.push(`Sprint "${name}" (${status}, ${startDate ?? '?'} to ${endDate ?? '?'})${goal ? `\nGoal: ${goal}` : ''}\nTasks:\n${lines.join('\n') || '(none)'}`);
  }
  return parts.join('\n\n');
}

/** The system prompt and messages for a task: its context first, then the conversation so far, then the prompt. */
export function conversationFor(task: GenerationTask, prompt: string, context: GenerationContext): Conversation {
  const background = contextText(context);
  const system = background ? `${SYSTEMS[task]}\n\n${background}` : SYSTEMS[task];
  const history: ModelMessage[] = (context.history ?? []).map((m) =>
    m.role === 'assistant' ? { role: 'assistant', content: m.content } : m.role === 'system' ? { role: 'system', content: m.content } : { role: 'user', content: m.content },
  );
  return { system, messages: [...history, { role: 'user', content: prompt }] };
}

/**
 * A deliberately generous estimate of the prompt's tokens, made before the call: one token per
 * three UTF-8 bytes (tokenizers average nearer four for English) plus a few per message. It
 * only sizes the reservation; what is recorded and charged is the provider's own count.
 */
export function estimatePromptTokens(conversation: Conversation): number {
  const texts = [conversation.system, ...conversation.messages.map((m) => (typeof m.content === 'string' ? m.content : JSON.stringify(m.content)))];
  return texts.reduce((sum, text) => sum + Math.ceil(Buffer.byteLength(text, 'utf8') / 3) + 4, 0);
}

const StoryProposal = z.object({
  title: z.string().trim().min(1).max(500),
  description: z.string().max(50_000).optional().default(''),
  acceptanceCriteria: z.array(z.string().max(2_000)).max(50).optional().default([]),
});
export type StoryProposal = z.infer<typeof StoryProposal>;

/**
 * The stories in a model's answer: the JSON object it was asked for, found even when wrapped in
 * a Markdown fence or prose. Proposals that do not fit the shape are dropped, never guessed at.
 */
export function parseStoryProposals(text: string): StoryProposal[] {
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}');
  if (start < 0 || end <= start) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.slice(start, end + 1));
  } catch {
    return [];
  }
  const stories = z.object({ stories: z.array(z.unknown()).max(100) }).safeParse(parsed);
  if (!stories.success) return [];
  return stories.data.stories.flatMap((story) => {
    const proposal = StoryProposal.safeParse(story);
    return proposal.success ? [proposal.data] : [];
  });
}

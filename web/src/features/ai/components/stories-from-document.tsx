import { Link } from '@tanstack/react-router';
import { useId, useState } from 'react';
import { type AcceptedTask, type GenerationRecord, useAcceptStories, useGenerate } from '../api';
import { AiErrorText } from './ai-error';
import { GenerationFacts } from './generation-facts';

type Proposal = { title: string; description: string; acceptanceCriteria: string[] };

/** The proposals the server parsed from the model's answer (metadata.proposals). */
function proposalsOf(record: GenerationRecord): Proposal[] {
  const raw = record.metadata.proposals;
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((item: unknown) => {
    if (typeof item !== 'object' || item === null || typeof (item as { title?: unknown }).title !== 'string') return [];
    const { title, description, acceptanceCriteria } = item as { title: string; description?: unknown; acceptanceCriteria?: unknown };
    const criteria = Array.isArray(acceptanceCriteria) ? acceptanceCriteria.filter((c): c is string => typeof c === 'string') : [];
    return [{ title, description: typeof description === 'string' ? description : '', acceptanceCriteria: criteria }];
  });
}

type Props = { orgId: string; orgSlug: string; providerId: string; documentId: string };

/**
 * User stories with acceptance criteria written from the document, shown for review: tasks are
 * created only for the stories the user ticks, through the accept endpoint, once.
 */
export function StoriesFromDocument({ orgId, orgSlug, providerId, documentId }: Props) {
  const id = useId();
  const generate = useGenerate(orgId);
  const accept = useAcceptStories(orgId);
  const [instructions, setInstructions] = useState('Write the user stories this document calls for, each with acceptance criteria.');
  const [chosen, setChosen] = useState<Set<number>>(new Set());
  const record = generate.data;
  const proposals = record ? proposalsOf(record) : [];
  const created: AcceptedTask[] | undefined = accept.data?.tasks;

  const toggle = (index: number, on: boolean) =>
    setChosen((previous) => {
      const next = new Set(previous);
      if (on) next.add(index);
      else next.delete(index);
      return next;
    });

  return (
    <section className="section ai-panel" aria-labelledby={`${id}-heading`}>
      <h3 id={`${id}-heading`}>User stories from this document</h3>
      <form
        className="stack"
        onSubmit={(event) => {
          event.preventDefault();
          setChosen(new Set());
          accept.reset();
          generate.mutate({ providerId, task: 'stories', documentId, prompt: instructions.trim() });
        }}
      >
        <label className="field">
          Instructions for the stories
          <textarea rows={2} value={instructions} required maxLength={10_000} onChange={(event) => setInstructions(event.target.value)} />
        </label>
        <div className="row">
          <button type="submit" className="button-primary" disabled={generate.isPending || !providerId}>
            {generate.isPending ? 'Writing stories…' : 'Write user stories'}
          </button>
        </div>
      </form>
      <AiErrorText error={generate.error} />
      {record ? (
        <>
          <GenerationFacts record={record} />
          {proposals.length === 0 ? <p className="muted">The model proposed no story in the expected form. Try again or change the instructions.</p> : null}
          {proposals.length > 0 && !created ? (
            <form
              className="stack"
              aria-label="Proposed stories"
              onSubmit={(event) => {
                event.preventDefault();
                accept.mutate({ generationId: record.id, stories: [...chosen].sort((a, b) => a - b) });
              }}
            >
              <ul className="list ai-proposals" aria-label="Proposed user stories">
                {proposals.map((proposal, index) => (
                  <li key={index}>
                    <label className="ai-proposal">
                      <input type="checkbox" checked={chosen.has(index)} onChange={(event) => toggle(index, event.target.checked)} />
                      <span>
                        <strong>{proposal.title}</strong>
                        {proposal.description ? <span className="ai-proposal-text">{proposal.description}</span> : null}
                      </span>
                    </label>
                    {proposal.acceptanceCriteria.length > 0 ? (
                      <ul className="ai-criteria" aria-label={`Acceptance criteria of ${proposal.title}`}>
                        {proposal.acceptanceCriteria.map((criterion, at) => (
                          <li key={at}>{criterion}</li>
                        ))}
                      </ul>
                    ) : null}
                  </li>
                ))}
              </ul>
              <div className="row">
                <button type="submit" className="button-primary" disabled={chosen.size === 0 || accept.isPending}>
                  {chosen.size === 1 ? 'Create 1 task' : `Create ${chosen.size} tasks`}
                </button>
                <span className="muted">Only the ticked stories become tasks.</span>
              </div>
            </form>
          ) : null}
          <AiErrorText error={accept.error} />
          {created ? (
            <div role="status">
              <p>
                {created.length === 1 ? 'Created 1 task:' : `Created ${created.length} tasks:`}
              </p>
              <ul className="list" aria-label="Tasks created from the stories">
                {created.map((task) => (
                  <li key={task.id}>
                    <Link to="/$orgSlug/tasks/$ref" params={{ orgSlug, ref: task.ref }}>
                      {task.ref} {task.title}
                    </Link>
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
        </>
      ) : null}
    </section>
  );
}

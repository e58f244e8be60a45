import { useId, useState } from 'react';
import { Markdown } from '../../../components/markdown';
import { useGenerate } from '../api';
import { AiErrorText } from './ai-error';
import { GenerationFacts } from './generation-facts';
import { ProviderPicker } from './provider-picker';
import '../ai.css';

type Props = { orgId: string; orgSlug: string; projectId: string; sprintId: string; sprintName: string };

/** A summary of the sprint (progress, done, at risk, next) written by the model from its tasks, for members who may write. */
export function SprintSummary({ orgId, orgSlug, projectId, sprintId, sprintName }: Props) {
  const id = useId();
  const generate = useGenerate(orgId);
  const [providerId, setProviderId] = useState('');
  const summary = generate.data;
  return (
    <section className="section ai-panel" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>Sprint summary</h2>
      <form
        className="row ai-inline"
        onSubmit={(event) => {
          event.preventDefault();
          generate.mutate({ providerId, task: 'sprint-summary', projectId, sprintId, prompt: `Summarise the sprint "${sprintName}" for the team and its stakeholders.` });
        }}
      >
        <ProviderPicker orgId={orgId} orgSlug={orgSlug} value={providerId} onChange={setProviderId} />
        <button type="submit" className="button-primary" disabled={generate.isPending || !providerId}>
          {generate.isPending ? 'Summarising…' : 'Summarise sprint'}
        </button>
      </form>
      <AiErrorText error={generate.error} />
      {summary ? (
        <>
          <GenerationFacts record={summary} />
          <section className="ai-draft" aria-label={`Summary of ${sprintName}`}>
            <Markdown text={summary.response ?? ''} />
          </section>
        </>
      ) : null}
    </section>
  );
}

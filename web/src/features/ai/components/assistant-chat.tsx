import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { ErrorText, Loading } from '../../../components/feedback';
import { Markdown } from '../../../components/markdown';
import { conversationsOf, useProjectPrompts } from '../api';
import { useStreamingGeneration } from '../stream';
import { AiErrorText } from './ai-error';
import { GenerationFacts } from './generation-facts';
import { ProviderPicker } from './provider-picker';
import '../ai.css';

type Props = {
  orgId: string;
  orgSlug: string;
  projectId: string;
  projectKey: string;
  /** The conversation in the URL; none starts a new one. */
  conversationId: string | undefined;
  canWrite: boolean;
  /** A new conversation got its id from the server: the page puts it in the URL. */
  onConversation: (conversationId: string) => void;
};

/**
 * The project's conversation with the model (project_prompts), the answer streamed as it is
 * written; Stop aborts the request, and the server records what was used. Viewers read only.
 */
export function AssistantChat({ orgId, orgSlug, projectId, projectKey, conversationId, canWrite, onConversation }: Props) {
  const prompts = useProjectPrompts(orgId, projectId);
  const stream = useStreamingGeneration(orgId);
  const [providerId, setProviderId] = useState('');
  const [question, setQuestion] = useState('');
  // The question being answered and the conversation it belongs to (null: a new one).
  const [live, setLive] = useState<{ prompt: string; conversationId: string | null } | null>(null);
  const conversations = conversationsOf(prompts.data ?? []);
  const current = conversations.find((conversation) => conversation.id === conversationId);
  const here = live !== null && live.conversationId === (conversationId ?? null);
  // Until the refreshed list has the new messages, the question and the streamed text stand in.
  const showLive = here && (stream.streaming || !current?.messages.some((m) => m.content === live.prompt));

  const send = async () => {
    const prompt = question.trim();
    if (!prompt || !providerId) return;
    setLive({ prompt, conversationId: conversationId ?? null });
    setQuestion('');
    const record = await stream.start({ providerId, task: 'chat', prompt, projectId, ...(conversationId ? { conversationId } : {}) });
    const started = record?.metadata.conversationId;
    if (!conversationId && typeof started === 'string') {
      setLive({ prompt, conversationId: started });
      onConversation(started);
    }
  };

  return (
    <div className="ai-chat">
      <nav className="ai-conversations" aria-label="Conversations">
        <h2>Conversations</h2>
        {prompts.isPending ? <Loading label="Loading conversations…" /> : null}
        <ErrorText error={prompts.error} />
        <ul className="list">
          {canWrite ? (
            <li>
              <Link to="/$orgSlug/projects/$key/assistant" params={{ orgSlug, key: projectKey }} search={{}} activeOptions={{ includeSearch: true }}>
                Start a new conversation
              </Link>
            </li>
          ) : null}
          {conversations.map((conversation) => (
            <li key={conversation.id}>
              <Link
                to="/$orgSlug/projects/$key/assistant"
                params={{ orgSlug, key: projectKey }}
                search={{ conversation: conversation.id }}
                aria-current={conversation.id === conversationId ? 'page' : undefined}
              >
                {conversation.opening.slice(0, 80) || 'Conversation'}
              </Link>
              <span className="muted"> · {new Date(conversation.lastAt).toLocaleDateString()}</span>
            </li>
          ))}
        </ul>
      </nav>
      <section className="ai-thread" aria-label="Conversation">
        {conversationId && !current && prompts.isSuccess && !showLive ? <p className="muted">This conversation has no messages.</p> : null}
        {!conversationId && !here ? <p className="muted">{canWrite ? 'Ask about the project: its tasks, documents and sprints are the model’s context.' : 'Choose a conversation to read it.'}</p> : null}
        <ol className="list ai-messages" aria-label="Messages">
          {current?.messages.map((message) => (
            <li key={message.id} className={`ai-message ai-message-${message.role}`}>
              <span className="ai-speaker">{message.role === 'user' ? 'Question' : 'Answer'}</span>
              <Markdown text={message.content} />
            </li>
          ))}
          {showLive ? (
            <>
              <li className="ai-message ai-message-user">
                <span className="ai-speaker">Question</span>
                <Markdown text={live.prompt} />
              </li>
              <li className="ai-message ai-message-assistant" aria-busy={stream.streaming}>
                <span className="ai-speaker">Answer</span>
                <div aria-live="polite">{stream.text ? <Markdown text={stream.text} /> : stream.streaming ? <p className="muted">Waiting for the model…</p> : null}</div>
              </li>
            </>
          ) : null}
        </ol>
        {here && stream.stopped ? <p role="status">Stopped. What arrived so far is kept, and the tokens used are counted.</p> : null}
        {here ? <AiErrorText error={stream.error} /> : null}
        {here && stream.record ? <GenerationFacts record={stream.record} /> : null}
        {canWrite ? (
          <form
            className="stack ai-composer"
            onSubmit={(event) => {
              event.preventDefault();
              void send();
            }}
          >
            <ProviderPicker orgId={orgId} orgSlug={orgSlug} value={providerId} onChange={setProviderId} />
            <label className="field">
              Your question
              <textarea rows={3} value={question} maxLength={20_000} onChange={(event) => setQuestion(event.target.value)} />
            </label>
            <div className="row">
              {stream.streaming ? (
                <button type="button" className="button-danger" onClick={stream.stop}>
                  Stop
                </button>
              ) : (
                <button type="submit" className="button-primary" disabled={!providerId || !question.trim()}>
                  Send
                </button>
              )}
            </div>
          </form>
        ) : null}
      </section>
    </div>
  );
}

import { useQueryClient } from '@tanstack/react-query';
import { EventSourceParserStream } from 'eventsource-parser/stream';
import { useCallback, useRef, useState } from 'react';
import { ApiError, api, unwrap } from '../../api/client';
import { type GenerateBody, type GenerationRecord, withDefaults } from './api';

type StreamEvents = { onDelta: (text: string) => void };

/**
 * Calls generate with `Accept: text/event-stream` and reads its events: `delta` text as it
 * arrives, then `done` (the record, returned) or `error` (thrown as the provider's words).
 * Refusals before the stream opens (budget, plan, input) are ordinary API errors.
 */
export async function streamGeneration(orgId: string, body: GenerateBody, signal: AbortSignal, { onDelta }: StreamEvents): Promise<GenerationRecord> {
  const stream = await unwrap(
    api.POST('/api/v1/orgs/{orgId}/ai/generate', { params: { path: { orgId } }, body: withDefaults(body), headers: { accept: 'text/event-stream' }, parseAs: 'stream', signal }),
  );
  if (!stream) throw new ApiError('The server answered without a stream.', 500, 'error');
  const reader = stream.pipeThrough(new TextDecoderStream()).pipeThrough(new EventSourceParserStream()).getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    const data: unknown = JSON.parse(value.data);
    if (value.event === 'delta') onDelta((data as { text: string }).text);
    // The server's own events: `done` carries the record, `error` the provider's words and the record.
    if (value.event === 'done') return data as GenerationRecord;
    if (value.event === 'error') {
      const failure = data as { error: { code: string; message: string }; generation: GenerationRecord };
      throw new ApiError(failure.error.message, 502, failure.error.code, { generation: failure.generation });
    }
  }
  throw new ApiError('The stream ended before the answer was complete.', 502, 'provider_error');
}

export type StreamingGeneration = {
  /** The text received so far (kept after a stop or a failure). */
  text: string;
  streaming: boolean;
  record: GenerationRecord | null;
  error: unknown;
  stopped: boolean;
  start: (body: GenerateBody) => Promise<GenerationRecord | null>;
  /** Aborts the request: the server stops the provider call and records what was used. */
  stop: () => void;
};

/** One streamed generation at a time, with a stop button's abort. */
export function useStreamingGeneration(orgId: string): StreamingGeneration {
  const client = useQueryClient();
  const controller = useRef<AbortController | null>(null);
  const [text, setText] = useState('');
  const [streaming, setStreaming] = useState(false);
  const [record, setRecord] = useState<GenerationRecord | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [stopped, setStopped] = useState(false);

  const start = useCallback(
    async (body: GenerateBody) => {
      const abort = new AbortController();
      controller.current = abort;
      setText('');
      setRecord(null);
      setError(null);
      setStopped(false);
      setStreaming(true);
      try {
        const settled = await streamGeneration(orgId, body, abort.signal, { onDelta: (delta) => setText((previous) => previous + delta) });
        setRecord(settled);
        return settled;
      } catch (failure) {
        if (abort.signal.aborted) setStopped(true);
        else setError(failure);
        return null;
      } finally {
        setStreaming(false);
        controller.current = null;
        await client.invalidateQueries({ queryKey: ['orgs', orgId, 'ai'] });
      }
    },
    [client, orgId],
  );
  const stop = useCallback(() => controller.current?.abort(), []);
  return { text, streaming, record, error, stopped, start, stop };
}

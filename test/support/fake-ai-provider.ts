import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local HTTP server that speaks the two wire protocols Tenantry's AI calls use, streaming
 * only (every call streams): OpenAI Chat Completions (`POST /v1/chat/completions`, SSE chunks,
 * the usage chunk when `stream_options.include_usage` asks for it, `[DONE]`) and Anthropic
 * Messages (`POST /v1/messages`, its named SSE events, usage in `message_start` and
 * `message_delta`). Each request takes the next scripted behaviour, else the default one, and
 * is recorded with the key it carried. Not a model: it answers the scripted text.
 */
export type Behaviour = {
  /** The answer, sent in chunks of `chunk` characters. */
  reply?: string;
  chunk?: number;
  usage?: { input: number; output: number } | null;
  /** Answer this status with the protocol's error body instead. */
  status?: number;
  errorMessage?: string;
  /** Wait before the first byte, and between chunks. */
  delayMs?: number;
  chunkDelayMs?: number;
  /** Hold the answer until this settles: a test decides when calls in flight may finish. */
  until?: Promise<unknown>;
  /** Destroy the socket after this many chunks. */
  dropAfterChunks?: number;
};

export type SeenRequest = { path: string; key: string | null; body: Record<string, unknown>; closedEarly: boolean };

export type FakeAiProvider = {
  baseUrl: string;
  seen: SeenRequest[];
  script(...behaviours: Behaviour[]): void;
  setDefault(behaviour: Behaviour): void;
  close(): Promise<void>;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function chunksOf(text: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const parts: Buffer[] = [];
  for await (const part of req) parts.push(part as Buffer);
  return JSON.parse(Buffer.concat(parts).toString('utf8')) as Record<string, unknown>;
}

function openAiEvents(b: Required<Pick<Behaviour, 'reply' | 'chunk'>> & Behaviour, includeUsage: boolean): string[] {
  const base = { id: 'chatcmpl-fake', object: 'chat.completion.chunk', created: 1_760_000_000, model: 'fake' };
  const line = (payload: unknown) => `data: ${JSON.stringify(payload)}\n\n`;
  return [
    ...chunksOf(b.reply, b.chunk).map((content, i) =>
      line({ ...base, choices: [{ index: 0, delta: i === 0 ? { role: 'assistant', content } : { content }, finish_reason: null }] })),
    line({ ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] }),
    ...(includeUsage && b.usage
      ? [line({ ...base, choices: [], usage: { prompt_tokens: b.usage.input, completion_tokens: b.usage.output, total_tokens: b.usage.input + b.usage.output } })]
      : []),
    'data: [DONE]\n\n',
  ];
}

function anthropicEvents(b: Required<Pick<Behaviour, 'reply' | 'chunk'>> & Behaviour): string[] {
  const event = (name: string, payload: unknown) => `event: ${name}\ndata: ${JSON.stringify({ type: name, ...(payload as object) })}\n\n`;
  return [
    event('message_start', {
      message: { id: 'msg_fake', type: 'message', role: 'assistant', model: 'fake', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: b.usage?.input ?? 0, output_tokens: 1 } },
    }),
    event('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
    ...chunksOf(b.reply, b.chunk).map((text) => event('content_block_delta', { index: 0, delta: { type: 'text_delta', text } })),
    event('content_block_stop', { index: 0 }),
    event('message_delta', { delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: b.usage?.output ?? 0 } }),
    event('message_stop', {}),
  ];
}

export async function startFakeAiProvider(): Promise<FakeAiProvider> {
  const queue: Behaviour[] = [];
  let fallback: Behaviour = { reply: 'Hello from the fake model.', usage: { input: 21, output: 7 } };
  const seen: SeenRequest[] = [];

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const body = await readJson(req);
    const anthropic = req.url === '/v1/messages';
    const bearer = req.headers.authorization?.replace(/^Bearer /, '') ?? null;
    const record: SeenRequest = { path: req.url ?? '', key: anthropic ? ((req.headers['x-api-key'] as string | undefined) ?? null) : bearer, body, closedEarly: false };
    seen.push(record);
    res.on('close', () => {
      if (!res.writableFinished) record.closedEarly = true;
    });
    const b: Required<Pick<Behaviour, 'reply' | 'chunk'>> & Behaviour = { reply: '', chunk: 8, usage: null, ...fallback, ...queue.shift() };
    if (b.until) await b.until;
    if (b.delayMs) await sleep(b.delayMs);
    if (b.status) {
      const message = b.errorMessage ?? 'scripted failure';
      const error = anthropic ? { type: 'error', error: { type: 'api_error', message } } : { error: { message, type: 'invalid_request_error', code: null } };
      res.writeHead(b.status, { 'content-type': 'application/json' }).end(JSON.stringify(error));
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    const includeUsage = (body.stream_options as { include_usage?: boolean } | undefined)?.include_usage === true;
    const events = anthropic ? anthropicEvents(b) : openAiEvents(b, includeUsage);
    let sent = 0;
    for (const text of events) {
      if (res.destroyed) return;
      if (b.dropAfterChunks !== undefined && sent >= b.dropAfterChunks) {
        // Let what was written reach the client first, so the answer breaks off mid-stream.
        await sleep(50);
        res.socket?.destroy();
        return;
      }
      res.write(text);
      sent++;
      if (b.chunkDelayMs) await sleep(b.chunkDelayMs);
    }
    res.end();
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    seen,
    script: (...behaviours) => void queue.push(...behaviours),
    setDefault: (behaviour) => {
      fallback = behaviour;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

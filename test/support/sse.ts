/** One Server-Sent Events message as the wire carries it; `comment` is a `: …` line's text. */
export type SseMessage = { event?: string; id?: string; data?: string; comment?: string };

export type SseReader = {
  /** Everything received so far, in order. */
  readonly messages: SseMessage[];
  /** Waits for the first message (already received or to come) that `matches`, or fails after `timeoutMs`. */
  next(matches: (message: SseMessage) => boolean, timeoutMs?: number): Promise<SseMessage>;
  close(): Promise<void>;
};

/**
 * Reads an event stream response in the background. Works on a fetch() response and on Hono's
 * in-process `app.request` response alike.
 *
 * @example
 * const stream = readSse(await fetch(url, { headers }));
 * await stream.next((m) => m.comment === 'ready');
 */
export function readSse(response: Response): SseReader {
  const body = response.body;
  if (!body) throw new Error(`no event stream (status ${response.status})`);
  const reader: ReadableStreamDefaultReader<Uint8Array> = body.getReader();
  const decoder = new TextDecoder();
  const messages: SseMessage[] = [];
  const waiters = new Set<() => void>();
  let buffer = '';
  let ended = false;

  const parse = (block: string) => {
    const message: SseMessage = {};
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) message.comment = line.slice(1).trim();
      const field = /^(event|id|data): ?(.*)$/.exec(line);
      if (field?.[1] === 'event' || field?.[1] === 'id') message[field[1]] = field[2];
      if (field?.[1] === 'data') message.data = message.data === undefined ? field[2] : `${message.data}\n${field[2]}`;
    }
    messages.push(message);
  };
  const pump = async () => {
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          parse(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
        }
        for (const wake of waiters) wake();
      }
    } catch {
      // Cancelled by close(), or the server went away: the waiters below time out or see `ended`.
    } finally {
      ended = true;
      for (const wake of waiters) wake();
    }
  };
  void pump();

  return {
    messages,
    next: (matches, timeoutMs = 10_000) =>
      new Promise<SseMessage>((resolve, reject) => {
        const check = () => {
          const found = messages.find(matches);
          if (found) return finish(() => resolve(found));
          if (ended) finish(() => reject(new Error(`the stream ended; received ${JSON.stringify(messages)}`)));
        };
        const timer = setTimeout(() => finish(() => reject(new Error(`no matching message in ${timeoutMs} ms; received ${JSON.stringify(messages)}`))), timeoutMs);
        const finish = (settle: () => void) => {
          clearTimeout(timer);
          waiters.delete(check);
          settle();
        };
        waiters.add(check);
        check();
      }),
    close: async () => {
      await reader.cancel().catch(() => undefined);
    },
  };
}

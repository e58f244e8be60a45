import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { Logger } from 'pino';

/** The PostgreSQL channel every server process listens on; a payload is only a nonce, never a token. */
export const SESSION_CHANNEL = 'tenantry_sessions';

/** How long a publisher waits to hear its own notification back before answering anyway. */
const ECHO_TIMEOUT_MS = 1_000;
const RECONNECT_MIN_MS = 250;
const RECONNECT_MAX_MS = 5_000;

/**
 * "Some session may have ended" travelling between server processes, so that a sign-out through
 * one process is refused by every other at once instead of when their cached copy lapses.
 */
export type SessionEvents = {
  /**
   * Tells every listening process, this one included, to forget its cached sessions. Resolves
   * once this process has heard its own notification back: PostgreSQL signals all listeners
   * together, so by then the others have been told as well.
   */
  publish(): Promise<void>;
  /** `onEvent` runs on every notification and after every (re)connection, when some may have been missed. */
  subscribe(onEvent: () => void): void;
  /** Whether notifications can arrive now; a cache must not be trusted while they cannot. */
  listening(): boolean;
  close(): Promise<void>;
};

/**
 * One LISTEN connection per process, on a session-mode URL (a transaction-mode pooler cannot
 * hold LISTEN: pass DATABASE_DIRECT_URL). It reconnects after the database restarts, with a
 * growing pause, and until it is back `listening()` is false.
 */
export function listenForSessionEvents(url: string, logger: Logger): SessionEvents {
  const subscribers: (() => void)[] = [];
  const awaitingEcho = new Map<string, () => void>();
  let client: pg.Client | null = null;
  let connected = false;
  let closed = false;
  let pause = RECONNECT_MIN_MS;
  let retry: NodeJS.Timeout | undefined;

  const tellSubscribers = () => {
    for (const onEvent of subscribers) onEvent();
  };

  const lost = (current: pg.Client, error?: Error) => {
    if (client !== current) return;
    client = null;
    connected = false;
    tellSubscribers();
    if (closed) return;
    logger.warn({ err: error }, `session events: connection lost, reconnecting in ${pause} ms`);
    retry = setTimeout(connect, pause);
    pause = Math.min(pause * 2, RECONNECT_MAX_MS);
  };

  const connect = () => {
    const current = new pg.Client({ connectionString: url, application_name: 'tenantry-session-events' });
    client = current;
    current.on('error', (error) => lost(current, error));
    current.on('end', () => lost(current));
    current.on('notification', (message) => {
      if (message.channel !== SESSION_CHANNEL) return;
      tellSubscribers();
      const heard = message.payload === undefined ? undefined : awaitingEcho.get(message.payload);
      heard?.();
    });
    current
      .connect()
      .then(() => current.query(`listen ${SESSION_CHANNEL}`))
      .then(() => {
        if (client !== current) return;
        connected = true;
        pause = RECONNECT_MIN_MS;
        // Whatever was published while this process was deaf is unknown: start afresh.
        tellSubscribers();
      })
      .catch((error: unknown) => {
        void current.end().catch(() => undefined);
        lost(current, error instanceof Error ? error : new Error(String(error)));
      });
  };
  connect();

  return {
    async publish() {
      const current = client;
      if (!current || !connected) {
        logger.warn('session events: not connected; other processes will notice the change when their cached sessions lapse');
        return;
      }
      const nonce = randomUUID();
      const echoed = new Promise<void>((heard) => {
        const timer = setTimeout(heard, ECHO_TIMEOUT_MS);
        awaitingEcho.set(nonce, () => {
          clearTimeout(timer);
          heard();
        });
      });
      try {
        await current.query('select pg_notify($1, $2)', [SESSION_CHANNEL, nonce]);
        await echoed;
      } catch (error) {
        logger.warn({ err: error }, 'session events: could not notify the other processes');
      } finally {
        awaitingEcho.delete(nonce);
      }
    },
    subscribe(onEvent) {
      subscribers.push(onEvent);
    },
    listening: () => connected,
    async close() {
      closed = true;
      clearTimeout(retry);
      const current = client;
      client = null;
      connected = false;
      await current?.end().catch(() => undefined);
    },
  };
}

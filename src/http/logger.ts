import pino from 'pino';

/**
 * Structured JSON logs. Secrets never reach a log line: the fields that could carry one are
 * redacted here, and request bodies are never logged.
 *
 * Lines go to stdout through an asynchronous destination that writes once 4 KiB have gathered
 * (about 20 access lines), or after at most a second: a system call per line cost one task's
 * GET about a twentieth of the server's CPU (bench/profile-server.ts). A quiet second ends
 * with an empty write. pino flushes the buffer synchronously when the process exits; a
 * graceful shutdown flushes it first (main.ts).
 */
export function createLogger(level = process.env.LOG_LEVEL ?? (process.env.NODE_ENV === 'test' ? 'silent' : 'info')) {
  return pino(
    {
      level,
      redact: {
        paths: ['req.headers.authorization', 'req.headers.cookie', '*.password', '*.apiKey', '*.credentials', '*.token'],
        censor: '[redacted]',
      },
    },
    pino.destination({ dest: 1, sync: false, minLength: 4096, periodicFlush: 1000 }),
  );
}

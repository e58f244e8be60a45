import pino from 'pino';

/**
 * Structured JSON logs. Secrets never reach a log line: the fields that could carry one are
 * redacted here, and request bodies are never logged.
 *
 * Lines go to stdout through an asynchronous destination: a write while the previous one is
 * still in flight joins a buffer instead of blocking the request path on a system call per
 * line (the access log writes one per request). pino flushes it synchronously when the
 * process exits; a graceful shutdown flushes it first (main.ts).
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
    pino.destination({ dest: 1, sync: false }),
  );
}

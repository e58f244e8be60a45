import pino from 'pino';

/**
 * Structured JSON logs. Secrets never reach a log line: the fields that could carry one are
 * redacted here, and request bodies are never logged.
 */
export function createLogger(level = process.env.LOG_LEVEL ?? (process.env.NODE_ENV === 'test' ? 'silent' : 'info')) {
  return pino({
    level,
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', '*.password', '*.apiKey', '*.credentials', '*.token'],
      censor: '[redacted]',
    },
  });
}

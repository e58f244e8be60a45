/** How long a model call may take and how often a failed start is retried. */
export type AiCallSettings = {
  /** The whole call, first byte to last; past it the call is aborted and fails in words. */
  timeoutMs: number;
  /** Retries of a call that failed to start with 429 or 5xx, with the AI SDK's backoff (2 s, then doubling). */
  maxRetries: number;
};

export const DEFAULT_AI_CALL_SETTINGS: AiCallSettings = { timeoutMs: 120_000, maxRetries: 2 };

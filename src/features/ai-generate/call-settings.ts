import type { TokenLedger } from './budget.js';

/** How long a model call may take and how often a failed start is retried. */
export type AiCallSettings = {
  /** The whole call, first byte to last; past it the call is aborted and fails in words. */
  timeoutMs: number;
  /** Retries of a call that failed to start with 429 or 5xx, with the AI SDK's backoff (2 s, then doubling). */
  maxRetries: number;
  /**
   * The budget bookkeeping around each call; absent means the real one (budget.ts). Only
   * bench/ai-accounting.ts replaces it, with one that does nothing, to price the real one.
   */
  ledger?: TokenLedger;
};

export const DEFAULT_AI_CALL_SETTINGS: AiCallSettings = { timeoutMs: 120_000, maxRetries: 2 };

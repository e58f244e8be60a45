import { APICallError, RetryError } from 'ai';
import { OutboundAddressRefused } from '../../net/outbound-guard.js';

const NETWORK_WORDS: Record<string, string> = {
  ECONNREFUSED: 'the provider refused the connection',
  ECONNRESET: 'the connection to the provider dropped before the answer was complete',
  UND_ERR_SOCKET: 'the connection to the provider dropped before the answer was complete',
  ENOTFOUND: "the provider's host name does not resolve",
  ETIMEDOUT: 'the provider did not accept the connection in time',
};

function codeOf(error: unknown): string | undefined {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; depth++) {
    if ('code' in current && typeof current.code === 'string') return current.code;
    current = current.cause;
  }
  return undefined;
}

function refusalOf(error: unknown): OutboundAddressRefused | undefined {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; depth++) {
    if (current instanceof OutboundAddressRefused) return current;
    current = current.cause;
  }
  return undefined;
}

/**
 * What went wrong with a provider call, in words a person can act on. The provider's own
 * message is kept (it says "invalid API key" or "model not found"), but the key itself is cut
 * out wherever it appears, since the words are stored and shown to every member.
 */
export function providerErrorInWords(error: unknown, apiKey: string | null): string {
  const words = describe(error);
  return apiKey ? words.split(apiKey).join('[redacted]') : words;
}

function describe(error: unknown): string {
  if (RetryError.isInstance(error)) return `${describe(error.lastError)} (gave up after ${error.errors.length} attempts)`;
  if (APICallError.isInstance(error)) {
    // A 2xx here is an answer that broke off while it was read: the cause says how.
    if (error.statusCode === undefined || error.statusCode < 300) return describeNetwork(error.cause ?? error);
    return `the provider answered ${error.statusCode}: ${error.message}`;
  }
  return describeNetwork(error);
}

function describeNetwork(error: unknown): string {
  const refusal = refusalOf(error);
  if (refusal) return refusal.message;
  const code = codeOf(error);
  if (code && NETWORK_WORDS[code]) return NETWORK_WORDS[code];
  const message = error instanceof Error ? error.message : String(error);
  if (/terminated|other side closed|socket/i.test(message)) return NETWORK_WORDS.ECONNRESET!;
  return `the provider call failed: ${message}`;
}

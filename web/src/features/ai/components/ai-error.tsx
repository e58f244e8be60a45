import { ApiError, messageOf } from '../../../api/client';

const number = new Intl.NumberFormat();

type BudgetRefusal = { resource: string; limit: number; used: number; reserved: number; requested: number };

function isBudgetRefusal(details: unknown): details is BudgetRefusal {
  return typeof details === 'object' && details !== null && (details as { resource?: unknown }).resource === 'ai_tokens';
}

/** What went wrong with a generation, in words: the budget refusal with its figures, the provider's own answer, or the API's message. */
export function aiErrorText(error: unknown): string {
  if (error instanceof ApiError && error.code === 'limit_exceeded' && isBudgetRefusal(error.details)) {
    const { limit, used, reserved, requested } = error.details;
    return (
      `This month's AI token budget is used up: ${number.format(used)} of ${number.format(limit)} tokens used` +
      `${reserved ? ` and ${number.format(reserved)} held by running requests` : ''}, and this request needs up to ${number.format(requested)}. ` +
      'Nothing was sent to the provider. An admin can raise the budget under Settings → AI usage and prices.'
    );
  }
  if (error instanceof ApiError && error.code === 'provider_error') return `The AI provider failed: ${error.message}`;
  return messageOf(error);
}

/** A generation's error, announced, next to the controls that caused it. */
export function AiErrorText({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <p className="error" role="alert">
      {aiErrorText(error)}
    </p>
  );
}

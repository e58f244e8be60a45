import type { GenerationRecord } from '../api';

const number = new Intl.NumberFormat();

/** Tokens as the provider reported them, the cost and the price version it was computed with. */
export function GenerationFacts({ record }: { record: GenerationRecord }) {
  const estimated = record.metadata.usageEstimated === true;
  return (
    <p className="muted ai-facts">
      {record.model} · {number.format(record.inputTokens)} tokens in, {number.format(record.outputTokens)} out{estimated ? ' (estimated)' : ''} · cost{' '}
      {record.cost}
      {record.priceVersion === null ? ' (no price set for this model)' : ` at price version ${record.priceVersion}`}
      {record.status === 'canceled' ? ' · stopped' : ''}
    </p>
  );
}

import { serialize } from '../../http/router.js';
import type { AiGenerationRow } from './repository.js';

/** "0.000420" → "0.00042", "0.000000" → "0": the exact value, without the column's padding. */
export function decimalText(value: string): string {
  return value.includes('.') ? value.replace(/0+$/, '').replace(/\.$/, '') : value;
}

/** The record clients get: the provider's counts under the names of the generate contract. */
export function generationRecord(row: AiGenerationRow) {
  return {
    ...serialize(row),
    inputTokens: row.promptTokens,
    outputTokens: row.completionTokens,
    cost: decimalText(row.cost),
  };
}

export type GenerationRecord = ReturnType<typeof generationRecord>;

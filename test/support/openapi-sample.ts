/**
 * Builds a request body that satisfies a JSON schema from /openapi.json, filling uuid fields
 * through `idFor` so that a probe can plant another tenant's ids in every reference.
 */
export type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  format?: string;
  pattern?: string;
  minimum?: number;
  minItems?: number;
  minLength?: number;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  const?: unknown;
  default?: unknown;
  example?: unknown;
  $ref?: string;
};

export function sampleOf(
  schema: JsonSchema,
  resolve: (ref: string) => JsonSchema,
  idFor: (field: string) => string,
  field = '',
): unknown {
  if (schema.$ref) return sampleOf(resolve(schema.$ref), resolve, idFor, field);
  const choice = schema.anyOf ?? schema.oneOf;
  if (choice) return sampleOf(choice.find((s) => s.type !== 'null') ?? choice[0] ?? {}, resolve, idFor, field);
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return schema.enum[0];
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      // A body of optional fields only (PATCH) still names one, so it is a real change.
      const firstOptional = Object.keys(schema.properties ?? {})[0];
      const names = schema.required?.length ? schema.required : firstOptional ? [firstOptional] : [];
      for (const name of names) {
        out[name] = sampleOf(schema.properties?.[name] ?? {}, resolve, idFor, name);
      }
      return out;
    }
    case 'array':
      return Array.from({ length: Math.max(1, schema.minItems ?? 1) }, () => sampleOf(schema.items ?? {}, resolve, idFor, field));
    case 'integer':
    case 'number':
      return Math.max(1, schema.minimum ?? 1);
    case 'boolean':
      return false;
    case 'string':
      return sampleString(schema, idFor, field);
    default:
      return {};
  }
}

function sampleString(schema: JsonSchema, idFor: (field: string) => string, field: string): string {
  switch (schema.format) {
    case 'uuid':
      return idFor(field);
    case 'date':
      return '2026-01-15';
    case 'date-time':
      return '2026-01-15T10:00:00.000Z';
    case 'email':
      return 'probe@example.test';
    case 'uri':
    case 'url':
      return 'https://example.test/';
  }
  if (typeof schema.example === 'string') return schema.example;
  if (schema.pattern) return patternSample(schema.pattern);
  return 'probe'.padEnd(schema.minLength ?? 1, 'x');
}

/** Values shaped like the patterns our schemas use (keys, slugs, references); the first that fits. */
const PATTERN_CANDIDATES = ['PROBE', 'probe', 'PROBE-1', 'probe.example'];

/** A string matching `pattern`; when no candidate fits, the schema should give an `example`. */
export function patternSample(pattern: string): string {
  const regex = new RegExp(pattern, 'u');
  return PATTERN_CANDIDATES.find((candidate) => regex.test(candidate)) ?? 'probe';
}

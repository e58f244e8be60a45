import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SCHEMA_FILE, generateApiTypes } from '../scripts/build-web-api.js';

describe('the web app API types', () => {
  it('web/src/api/schema.d.ts matches /openapi.json (run `npm run web:api` after changing a route)', async () => {
    const committed = readFileSync(SCHEMA_FILE, 'utf8');
    // Compared as text, so the failure shows which paths or fields differ.
    expect(committed).toBe(await generateApiTypes());
  });
});

/**
 * Splits a script into statements at top-level semicolons, stepping over quotes, dollar
 * quotes and comments. Only migrations that opt out of a transaction need it: PostgreSQL runs
 * a multi-statement string as one implicit transaction, which CREATE INDEX CONCURRENTLY refuses.
 */
export function splitStatements(script: string): string[] {
  const statements: string[] = [];
  let start = 0;
  let i = 0;
  while (i < script.length) {
    const rest = script.slice(i);
    if (rest.startsWith('--')) {
      i = endOf(script, '\n', i + 2);
    } else if (rest.startsWith('/*')) {
      i = endOf(script, '*/', i + 2);
    } else if (script[i] === "'" || script[i] === '"') {
      i = endOf(script, script[i] ?? '', i + 1);
    } else if (script[i] === '$') {
      const tag = /^\$[A-Za-z_]*\$/.exec(rest)?.[0];
      i = tag ? endOf(script, tag, i + tag.length) : i + 1;
    } else if (script[i] === ';') {
      statements.push(script.slice(start, i));
      start = ++i;
    } else {
      i++;
    }
  }
  statements.push(script.slice(start));
  return statements.filter((s) => s.replace(/--[^\n]*/g, '').trim() !== '');
}

function endOf(script: string, closer: string, from: number): number {
  const at = script.indexOf(closer, from);
  return at === -1 ? script.length : at + closer.length;
}

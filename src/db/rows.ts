/** The rows of a raw `execute`: node-postgres and PGlite both answer with an object holding `rows`. */
export function rowsOf<Row>(result: unknown): Row[] {
  return (result as { rows: Row[] }).rows;
}

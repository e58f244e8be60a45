import { createHash } from 'node:crypto';
import pg from 'pg';
import { PLAN_EACH_CALL } from './prepared-statements.js';

/**
 * One statement of a pipeline: parameters stay bound. Rows come back as arrays of values in
 * the column order of the statement, decoded by `types` (the query builder's parsers, which
 * leave dates and timestamps as text for its own mapping).
 */
export type PipelineStatement = { text: string; values: unknown[] };

export type PipelineResult = { rows: unknown[][]; rowCount: number | null };

/** The type parsers Drizzle's node-postgres driver uses: date and time types stay text, its columns map them. */
export const RAW_TEXT_TYPES = new Set([1082, 1114, 1184, 1186, 1115, 1182, 1185, 1187, 1231]);
const builderTypes = {
  getTypeParser: (oid: number, format: 'text' | 'binary'): ((raw: string) => unknown) => {
    if (RAW_TEXT_TYPES.has(oid)) return (raw) => raw;
    return pg.types.getTypeParser(oid, format) as (raw: string) => unknown;
  },
};

const SET_STATEMENT = /^\s*set\s/i;

/** Statements kept prepared per connection by pipelines; past this, new texts run unnamed. */
const MAX_PREPARED_PER_CONNECTION = 256;

type Connection = {
  stream: { cork?: () => void; uncork?: () => void };
  parse(message: { name: string; text: string; types: number[] }): void;
  bind(message: { statement: string; portal: string; values: unknown[] }): void;
  describe(message: { type: 'P' | 'S'; name: string }): void;
  execute(message: { portal: string; rows: number }): void;
  close(message: { type: 'S' | 'P'; name: string }): void;
  sync(): void;
};

type Parser = (raw: string) => unknown;

/**
 * What a connection has prepared for pipelines. `unsure` holds names whose Parse went out in a
 * pipeline that failed: the server may or may not have kept them, so they are closed (a no-op
 * when absent) and parsed again on next use. `columns` holds each prepared statement's result
 * decoders, read from the RowDescription of its first run (none for a statement without rows),
 * so that later runs skip the Describe: a prepared statement's result columns cannot change
 * behind it (the server refuses to run it with 'cached plan must not change result type'
 * instead, see isStalePlan).
 */
type Prepared = { names: Set<string>; unsure: Set<string>; columns: Map<string, Parser[]>; epoch: number };

/**
 * Bumped by every stale plan (isStalePlan): a table changed its columns, so every connection
 * parses and describes its statements afresh on next use, not only the one that met it.
 */
let planEpoch = 0;
const preparedOn = new WeakMap<object, Prepared>();

type FieldDescription = { dataTypeID: number; format?: string };

/** pg's own serializer of parameter values (dates, buffers, arrays, JSON), which its types leave out. */
const { prepareValue } = (pg as unknown as { utils: { prepareValue: (value: unknown) => unknown } }).utils;

/**
 * A node-postgres Submittable that writes every statement's Parse (first use on the connection
 * only) / Bind / Describe / Execute and then a single Sync: one write, one round trip. Without
 * BEGIN the statements up to the Sync are one implicit transaction, which PostgreSQL commits at
 * the Sync, or rolls back there when any statement fails; the statements after a failed one
 * are skipped. Either way the connection is idle and clean afterwards, also behind PgBouncer in
 * transaction mode, which keeps one server connection until that Sync is answered.
 *
 * `text` and `statements` are there for whoever inspects queries (the benchmark's counter).
 */
export class PipelinedQuery {
  readonly text: string;
  callback: ((error: Error | null, results?: PipelineResult[]) => void) | undefined;
  readonly #results: PipelineResult[] = [];
  #rows: unknown[][] = [];
  #parsers: Parser[] = [];
  #failed: Error | undefined;
  #parsedHere: string[] = [];
  #connection: object | undefined;
  /** Per statement: its prepared name ('' when unnamed) and its known decoders (undefined: described this time). */
  #names: string[] = [];
  #known: (Parser[] | undefined)[] = [];
  #described = false;

  constructor(
    readonly statements: readonly PipelineStatement[],
    private readonly named: boolean,
  ) {
    this.text = statements.map((statement) => statement.text).join(';\n');
  }

  submit(connection: Connection): Error | null {
    this.#connection = connection;
    let values: unknown[][];
    try {
      // Serialized before anything is written: a value pg cannot send must not leave half a
      // pipeline (Executes run as they arrive, Sync or not) on the connection.
      values = this.statements.map((statement) => statement.values.map((value) => prepareValue(value)));
    } catch (error) {
      return error instanceof Error ? error : new Error(String(error));
    }
    const prepared = this.named ? preparedFor(connection) : undefined;
    connection.stream.cork?.();
    try {
      for (const [index, statement] of this.statements.entries()) {
        const name = prepared ? statementName(statement.text, prepared) : '';
        if (!name || !prepared?.names.has(name)) {
          if (name && prepared?.unsure.delete(name)) connection.close({ type: 'S', name });
          connection.parse({ name, text: statement.text, types: [] });
          if (name) {
            prepared?.names.add(name);
            this.#parsedHere.push(name);
          }
        }
        connection.bind({ statement: name, portal: '', values: values[index] ?? [] });
        const known = name ? prepared?.columns.get(name) : undefined;
        if (!known) connection.describe({ type: 'P', name: '' });
        connection.execute({ portal: '', rows: 0 });
        this.#names.push(name);
        this.#known.push(known);
      }
      connection.sync();
    } finally {
      connection.stream.uncork?.();
    }
    this.#parsers = this.#known[0] ?? [];
    return null;
  }

  handleRowDescription(message: { fields: FieldDescription[] }): void {
    this.#parsers = message.fields.map((field) => builderTypes.getTypeParser(field.dataTypeID, field.format === 'binary' ? 'binary' : 'text'));
    this.#described = true;
  }

  handleDataRow(message: { fields: (string | null)[] }): void {
    const parsers = this.#parsers;
    this.#rows.push(message.fields.map((raw, index) => (raw === null ? null : (parsers[index]?.(raw) ?? raw))));
  }

  handleCommandComplete(message: { text: string }): void {
    // "SELECT 3", "UPDATE 1", "INSERT 0 1": the count is the last word when the command has one.
    const count = /\s(\d+)$/.exec(message.text)?.[1];
    this.#results.push({ rows: this.#rows, rowCount: count === undefined ? null : Number(count) });
    this.#nextStatement();
  }

  handleEmptyQuery(): void {
    this.#results.push({ rows: [], rowCount: null });
    this.#nextStatement();
  }

  /** Remembers what the statement that just completed was described as (no RowDescription: no columns), then moves on. */
  #nextStatement(): void {
    const index = this.#results.length - 1;
    const name = this.#names[index];
    if (name && this.#known[index] === undefined && this.#connection) {
      preparedOn.get(this.#connection)?.columns.set(name, this.#described ? this.#parsers : []);
    }
    this.#rows = [];
    this.#described = false;
    this.#parsers = this.#known[index + 1] ?? [];
  }

  /**
   * pg hands an error over at once and forgets the query; the Sync already on the wire rolls the
   * implicit transaction back and the pool's next user waits for its ReadyForQuery.
   */
  handleError(error: Error): void {
    if (this.#failed) return;
    this.#failed = error;
    const prepared = this.#connection ? preparedOn.get(this.#connection) : undefined;
    if (isStalePlan(error)) planEpoch++;
    for (const name of this.#parsedHere) {
      prepared?.names.delete(name);
      prepared?.columns.delete(name);
      prepared?.unsure.add(name);
    }
    this.callback?.(error);
  }

  handleReadyForQuery(): void {
    if (!this.#failed) this.callback?.(null, this.#results);
  }

  handlePortalSuspended(): void {
    // Every Execute asks for all rows, so no portal is ever suspended.
  }

  handleCopyInResponse(): void {
    // No statement of a pipeline copies.
  }

  handleCopyData(): void {
    // No statement of a pipeline copies.
  }
}

function preparedFor(connection: object): Prepared {
  let prepared = preparedOn.get(connection);
  if (!prepared) {
    prepared = { names: new Set(), unsure: new Set(), columns: new Map(), epoch: planEpoch };
    preparedOn.set(connection, prepared);
  }
  if (prepared.epoch !== planEpoch) {
    for (const name of prepared.names) prepared.unsure.add(name);
    prepared.names.clear();
    prepared.columns.clear();
    prepared.epoch = planEpoch;
  }
  return prepared;
}

/**
 * Texts hash to names once; a connection that holds its quota runs further texts unnamed, and so
 * do statements marked to be planned with each call's values (see PLAN_EACH_CALL) and the
 * context's SET statements, whose text carries a different request id every time.
 */
const names = new Map<string, string>();
function statementName(text: string, prepared: Prepared): string {
  if (text.includes(PLAN_EACH_CALL) || SET_STATEMENT.test(text)) return '';
  let name = names.get(text);
  if (name === undefined) {
    name = `tp_${createHash('sha1').update(text).digest('base64url')}`;
    if (names.size < 4 * MAX_PREPARED_PER_CONNECTION) names.set(text, name);
  }
  if (!prepared.names.has(name) && !prepared.unsure.has(name) && prepared.names.size >= MAX_PREPARED_PER_CONNECTION) return '';
  return name;
}

/**
 * The server's refusal to run a prepared statement whose result columns changed since it was
 * prepared (an ALTER of a table it reads): nothing of the pipeline ran, and the same statements
 * parsed afresh succeed.
 */
export function isStalePlan(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === '0A000' && error.message.includes('cached plan must not change result type');
}

/** Sends the statements as one pipeline on `client` and resolves with each statement's result. */
export function runPipeline(client: pg.ClientBase, statements: readonly PipelineStatement[], named: boolean): Promise<PipelineResult[]> {
  return new Promise((resolve, reject) => {
    sendPipeline(client, statements, named, (error, results) => (error ? reject(error) : resolve(results)));
  });
}

/** `runPipeline` with a callback, for a caller that settles one promise of its own around more steps. */
export function sendPipeline(
  client: pg.ClientBase,
  statements: readonly PipelineStatement[],
  named: boolean,
  done: (error: Error | null, results: PipelineResult[]) => void,
): void {
  const query = new PipelinedQuery(statements, named);
  query.callback = (error, results) => done(error, results ?? []);
  client.query(query as never);
}

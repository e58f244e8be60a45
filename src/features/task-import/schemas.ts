import { z } from '@hono/zod-openapi';
import { CreateTaskBody } from '../tasks/schemas.js';
import { IMPORT_FIELDS } from './columns.js';

/** Rows one import may hold; larger exports are split into several imports. */
export const MAX_IMPORT_ROWS = 1000;

export const ImportTasksBody = z
  .strictObject({
    /** The CSV text, first line the headers (Jira's or Linear's export as it comes). */
    csv: z.string().min(1).max(900_000),
    /** Header → field, overriding the built-in Jira and Linear headers; `ignore` skips a column. */
    mapping: z.record(z.string().min(1).max(200), z.enum(IMPORT_FIELDS)).optional(),
    /** Check everything and show what would be created, writing nothing. */
    dryRun: z.boolean().default(false),
  })
  .openapi('ImportTasks');

export const ImportTasksResult = z
  .object({
    dryRun: z.boolean(),
    /** Tasks created, or that would be. */
    count: z.number().int(),
    /** Each header and the field it went to (`ignore` when none). */
    columns: z.record(z.string(), z.enum(IMPORT_FIELDS)),
    /** The tasks as they would be created (dry run) or were created, at most the first 50. */
    tasks: z.array(CreateTaskBody),
    /** The created tasks' ids, in the file's order (empty on a dry run), so a client can link to them. */
    taskIds: z.array(z.string().uuid()),
  })
  .openapi('ImportTasksResult');

/** Where the columns of a file would go, asked before its rows are checked (a dry run that finds problems reports no columns). */
export const ImportColumnsBody = z
  .strictObject({
    /** The file's header line, as the client parsed it. */
    headers: z.array(z.string().max(200)).min(1).max(200),
    mapping: ImportTasksBody.shape.mapping,
  })
  .openapi('ImportColumns');

export const ImportColumnsResult = z
  .object({
    /** Each header and the field the import would send it to (`ignore` when none). */
    columns: z.record(z.string(), z.enum(IMPORT_FIELDS)),
  })
  .openapi('ImportColumnsResult');

export type ImportTasksInput = z.infer<typeof ImportTasksBody>;
export type ImportColumnsInput = z.infer<typeof ImportColumnsBody>;

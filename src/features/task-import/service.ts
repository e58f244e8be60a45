import { parse } from 'csv-parse/sync';
import { TenantryError } from '../../errors.js';
import { requireProjectAccess } from '../shared/project-access.js';
import { type ServiceCall, inTenant, requirePermission } from '../shared/service-call.js';
import { CreateTaskBody, type CreateTaskInput } from '../tasks/schemas.js';
import { bulkCreateTasks } from '../tasks/service.js';
import { DEFAULT_COLUMNS, type ImportField, dateOf, priorityOf, statusOf, typeOf } from './columns.js';
import * as repository from './repository.js';
import { type ImportColumnsInput, type ImportTasksInput, MAX_IMPORT_ROWS } from './schemas.js';

type Problem = { path: string; message: string };
const SHOWN = 50;

function invalid(message: string, details: Problem[]): TenantryError {
  return new TenantryError('validation_failed', message, details.slice(0, 100));
}

function readCsv(csv: string): string[][] {
  try {
    return parse(csv, { bom: true, skip_empty_lines: true, trim: true });
  } catch (error) {
    throw invalid('the CSV cannot be read: nothing was written', [{ path: 'csv', message: error instanceof Error ? error.message : String(error) }]);
  }
}

type Mapping = ImportTasksInput['mapping'];

/** Each header's field: the mapping's choice, else Jira's or Linear's header, else ignored. */
function fieldsOf(headers: string[], mapping: Mapping): ImportField[] {
  return headers.map((header): ImportField => mapping?.[header] ?? DEFAULT_COLUMNS[header.toLowerCase()] ?? 'ignore');
}

const columnsOf = (headers: string[], fields: ImportField[]) => Object.fromEntries(headers.map((header, i) => [header, fields[i] ?? 'ignore']));

/** Those allowed to import into the project; another tenant's (or a hidden private) project is 404. */
async function requireImporter(call: ServiceCall, projectId: string) {
  requirePermission(call, 'work:write');
  await inTenant(call, (tx) => requireProjectAccess(tx, call.scope, projectId, 'write'));
}

/**
 * Where an import would send each column, from the header line alone: the web app shows it
 * before and whatever the dry run finds, so a refused first check still shows Jira's Summary as
 * the title, and a re-check sends that placement instead of a guess.
 */
export async function placeImportColumns(call: ServiceCall, projectId: string, input: ImportColumnsInput) {
  await requireImporter(call, projectId);
  return { columns: columnsOf(input.headers, fieldsOf(input.headers, input.mapping)) };
}

/** One row's fields; a value our words do not cover is a problem named by row and column. */
function taskOf(row: string[], fields: ImportField[], headers: string[], rowNumber: number, problems: Problem[]) {
  const task: Record<string, unknown> = {};
  let assignee: string | undefined;
  fields.forEach((field, column) => {
    const value = (row[column] ?? '').trim();
    if (value === '' || field === 'ignore') return;
    const problem = (message: string) => problems.push({ path: `rows.${rowNumber}.${headers[column]}`, message });
    const words = { status: statusOf, priority: priorityOf, type: typeOf } as const;
    if (field === 'status' || field === 'priority' || field === 'type') {
      const word = words[field](value);
      if (word) task[field] = word;
      else problem(`"${value}" is no ${field} this import knows`);
    } else if (field === 'storyPoints') {
      const points = Number(value);
      if (Number.isInteger(points)) task.storyPoints = points;
      else problem(`"${value}" is not a whole number of points`);
    } else if (field === 'dueDate') {
      const date = dateOf(value);
      if (date) task.dueDate = date;
      else problem(`"${value}" is not a date (2026-03-01 or 01/Mar/26)`);
    } else if (field === 'assignee') {
      assignee = value.toLowerCase();
    } else {
      task[field] = value;
    }
  });
  return { task, assignee };
}

/**
 * Tasks from a CSV export (Jira's or Linear's headers, or a mapping), all or nothing: every
 * problem in every row is reported and nothing is written, or all rows become tasks in one
 * transaction. A dry run checks the same and writes nothing.
 */
export async function importTasks(call: ServiceCall, projectId: string, input: ImportTasksInput) {
  const { organizationId } = call.scope;
  // Another tenant's (or a hidden private) project is 404 whatever the CSV holds, exactly like a
  // missing one; a project viewer's import is 403, dry run or not.
  await requireImporter(call, projectId);
  const [headers = [], ...rows] = readCsv(input.csv);
  const fields = fieldsOf(headers, input.mapping);
  const columns = columnsOf(headers, fields);
  if (!fields.includes('title')) {
    throw invalid('no column holds the title: map one to "title" (Jira calls it Summary, Linear Title)', [{ path: 'mapping', message: 'no title column' }]);
  }
  if (rows.length === 0) throw invalid('the CSV has headers but no rows', [{ path: 'csv', message: 'no rows' }]);
  if (rows.length > MAX_IMPORT_ROWS) throw invalid(`at most ${MAX_IMPORT_ROWS} rows per import; split the file`, [{ path: 'csv', message: `${rows.length} rows` }]);

  const problems: Problem[] = [];
  const parsed = rows.map((row, index) => taskOf(row, fields, headers, index + 1, problems));
  const emails = [...new Set(parsed.flatMap((p) => (p.assignee ? [p.assignee] : [])))];
  const people = await inTenant(call, (tx) => repository.memberIdsByEmail(tx, organizationId, emails));
  const tasks: CreateTaskInput[] = [];
  parsed.forEach(({ task, assignee }, index) => {
    if (assignee) {
      const userId = people.get(assignee);
      if (userId) task.assigneeId = userId;
      else problems.push({ path: `rows.${index + 1}.assignee`, message: `${assignee} is no member of this organization` });
    }
    const checked = CreateTaskBody.safeParse(task);
    if (checked.success) tasks.push(checked.data);
    else for (const issue of checked.error.issues) problems.push({ path: `rows.${index + 1}.${issue.path.join('.')}`, message: issue.message });
  });
  if (problems.length > 0) throw invalid(`${problems.length} problem${problems.length === 1 ? '' : 's'} in the CSV: nothing was written`, problems);

  let taskIds: string[] = [];
  if (!input.dryRun) {
    try {
      taskIds = (await bulkCreateTasks(call, projectId, tasks)).map((task) => task.id);
    } catch (error) {
      // The task service names rows `items.<index>`; the import names them by row number.
      // (Cast: every TenantryError with an array of details carries { path, message } entries.)
      if (error instanceof TenantryError && Array.isArray(error.details)) {
        const details = (error.details as Problem[]).map((d) => ({ ...d, path: d.path.replace(/^items\.(\d+)/, (_, i: string) => `rows.${Number(i) + 1}`) }));
        throw new TenantryError(error.code, error.message, details);
      }
      throw error;
    }
  }
  return { dryRun: input.dryRun, count: tasks.length, columns, tasks: tasks.slice(0, SHOWN), taskIds };
}

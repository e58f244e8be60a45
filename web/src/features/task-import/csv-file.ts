import { parse } from 'csv-parse/browser/esm/sync';
import { FIELD_LABEL, IMPORT_FIELDS, type ImportField, type Mapping } from './api';

export type CsvFile = { name: string; text: string; headers: string[] };

/** The file's text and its header line, read in the browser; a file that is no CSV throws. */
export async function readCsvFile(file: File): Promise<CsvFile> {
  const text = await file.text();
  const records: string[][] = parse(text, { bom: true, trim: true, skip_empty_lines: true, relax_column_count: true, to: 1 });
  const [headers = []] = records;
  if (headers.length === 0) throw new Error(`${file.name} is empty.`);
  return { name: file.name, text, headers };
}

/**
 * A first guess for headers the server did not place: one named like a field (its key or its
 * label, any case) goes to it, anything else is ignored until the user says otherwise.
 */
export function mappingByName(headers: string[]): Mapping {
  const byName = new Map<string, ImportField>();
  for (const field of IMPORT_FIELDS) {
    byName.set(field.toLowerCase(), field);
    byName.set(FIELD_LABEL[field].toLowerCase(), field);
  }
  return Object.fromEntries(headers.map((header) => [header, byName.get(header.toLowerCase()) ?? 'ignore']));
}

type Problem = { path: string; message: string };

/** The server's problem paths (`rows.2.Status`, `csv`, `mapping`) as a person reads them. */
export function problemInWords({ path, message }: Problem): string {
  const row = /^rows\.(\d+)\.?(.*)$/.exec(path);
  if (row) return `Row ${row[1]}${row[2] ? `, ${row[2]}` : ''}: ${message}`;
  if (path === 'mapping') return `Columns: ${message}`;
  return message;
}

export function problemsOf(details: unknown): Problem[] {
  if (!Array.isArray(details)) return [];
  return details.filter((d): d is Problem => typeof d === 'object' && d !== null && typeof (d as Problem).path === 'string' && typeof (d as Problem).message === 'string');
}

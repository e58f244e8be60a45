import { parse } from 'csv-parse/browser/esm/sync';
export type CsvFile = { name: string; text: string; headers: string[] };

/** The file's text and its header line, read in the browser; a file that is no CSV throws. */
export async function readCsvFile(file: File): Promise<CsvFile> {
  const text = await file.text();
  const records: string[][] = parse(text, { bom: true, trim: true, skip_empty_lines: true, relax_column_count: true, to: 1 });
  const [headers = []] = records;
  if (headers.length === 0) throw new Error(`${file.name} is empty.`);
  return { name: file.name, text, headers };
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

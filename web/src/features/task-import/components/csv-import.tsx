import { Link } from '@tanstack/react-router';
import { useId, useState } from 'react';
import { ApiError } from '../../../api/client';
import { ErrorText } from '../../../components/feedback';
import { taskPath } from '../../../lib/task-vocabulary';
import { FIELD_LABEL, IMPORT_FIELDS, type ImportField, type ImportResult, type Mapping, useImportColumns, useTaskImport } from '../api';
import { type CsvFile, problemInWords, problemsOf, readCsvFile } from '../csv-file';
import { ImportPreview } from './import-preview';

type Props = { orgId: string; orgSlug: string; projectId: string; projectKey: string };

/**
 * The CSV import of a project: choose a file, map its columns, check it with a dry run, then
 * import it all or nothing. The import button appears only after a clean dry run of the
 * file and mapping as they are now.
 */
export function CsvImport({ orgId, orgSlug, projectId, projectKey }: Props) {
  const id = useId();
  const [file, setFile] = useState<CsvFile | null>(null);
  const [readError, setReadError] = useState<string | null>(null);
  const [mapping, setMapping] = useState<Mapping>({});
  const [checked, setChecked] = useState<ImportResult | null>(null);
  const placing = useImportColumns(orgId, projectId);
  const dryRun = useTaskImport(orgId, projectId);
  const importing = useTaskImport(orgId, projectId);

  const check = (csv: CsvFile, chosen: Mapping | undefined) => {
    setChecked(null);
    dryRun.mutate(
      { csv: csv.text, dryRun: true, ...(chosen ? { mapping: chosen } : {}) },
      // Jira's and Linear's headers as the server placed them replace the guess by name.
      { onSuccess: (result) => (setMapping(result.columns), setChecked(result)) },
    );
  };

  const choose = async (chosen: File | undefined) => {
    setFile(null);
    setReadError(null);
    setChecked(null);
    setMapping({});
    placing.reset();
    dryRun.reset();
    importing.reset();
    if (!chosen) return;
    try {
      const csv = await readCsvFile(chosen);
      setFile(csv);
      // The server's placement comes from the header line alone, so the selects show it even
      // when the dry run finds problems, and a re-check sends it rather than a guess.
      placing.mutate(csv.headers, { onSuccess: (result) => setMapping(result.columns) });
      check(csv, undefined);
    } catch (error) {
      setReadError(`${chosen.name} cannot be read as CSV: ${error instanceof Error ? error.message : String(error)}`);
    }
  };

  const remap = (header: string, field: ImportField) => {
    setMapping((current) => ({ ...current, [header]: field }));
    setChecked(null);
    dryRun.reset();
  };

  // While a request is out the file and the mapping stay as sent, so its answer is for what is shown.
  const busy = placing.isPending || dryRun.isPending || importing.isPending;
  if (importing.data) return <Imported result={importing.data} orgSlug={orgSlug} projectKey={projectKey} onAgain={() => void choose(undefined)} />;
  return (
    <div className="csv-import">
      <section className="section" aria-labelledby={`${id}-file`}>
        <h2 id={`${id}-file`}>1. Choose a CSV file</h2>
        <p className="muted">Jira’s and Linear’s exports are recognized as they come. The first line holds the column names; at most 1000 rows per file.</p>
        <label className="field">
          <span>CSV file</span>
          <input type="file" accept=".csv,text/csv" disabled={importing.isPending} onChange={(event) => void choose(event.currentTarget.files?.[0])} />
        </label>
        <ErrorText error={readError} />
      </section>
      {file ? (
        <section className="section" aria-labelledby={`${id}-columns`}>
          <h2 id={`${id}-columns`}>2. Map the columns</h2>
          <table className="usage">
            <caption>Columns of {file.name}</caption>
            <thead>
              <tr>
                <th scope="col">Column</th>
                <th scope="col">Task field</th>
              </tr>
            </thead>
            <tbody>
              {file.headers.map((header) => (
                <tr key={header}>
                  <th scope="row">{header}</th>
                  <td>
                    <select aria-label={`Field for ${header}`} disabled={busy} value={mapping[header] ?? 'ignore'} onChange={(event) => remap(header, event.currentTarget.value as ImportField)}>
                      {IMPORT_FIELDS.map((field) => (
                        <option key={field} value={field}>
                          {FIELD_LABEL[field]}
                        </option>
                      ))}
                    </select>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <ErrorText error={placing.error} />
          <p>
            <button type="button" onClick={() => check(file, mapping)} disabled={busy}>
              {dryRun.isPending ? 'Checking…' : 'Check the file (dry run)'}
            </button>
          </p>
          <Problems error={dryRun.error} label="Problems found by the dry run" />
        </section>
      ) : null}
      {file && checked ? (
        <section className="section" aria-labelledby={`${id}-preview`}>
          <h2 id={`${id}-preview`}>3. Preview and import</h2>
          <p role="status">
            The dry run found no problems: {checked.count} {checked.count === 1 ? 'task' : 'tasks'} would be created. Nothing has been written yet.
          </p>
          <ImportPreview result={checked} />
          <p>
            <button type="button" onClick={() => importing.mutate({ csv: file.text, mapping, dryRun: false })} disabled={importing.isPending}>
              {importing.isPending ? 'Importing…' : `Import ${checked.count} ${checked.count === 1 ? 'task' : 'tasks'}`}
            </button>
          </p>
          <Problems error={importing.error} label="Problems that stopped the import" />
        </section>
      ) : null}
    </div>
  );
}

/** The refusal in words, and under it each problem by row and column. */
function Problems({ error, label }: { error: Error | null; label: string }) {
  if (!error) return null;
  const problems = error instanceof ApiError ? problemsOf(error.details) : [];
  return (
    <>
      <ErrorText error={error} />
      {problems.length > 0 ? (
        <ul aria-label={label} className="import-problems">
          {problems.map((problem, index) => (
            <li key={index}>{problemInWords(problem)}</li>
          ))}
        </ul>
      ) : null}
    </>
  );
}

function Imported({ result, orgSlug, projectKey, onAgain }: { result: ImportResult; orgSlug: string; projectKey: string; onAgain: () => void }) {
  const shown = result.taskIds.slice(0, result.tasks.length);
  return (
    <section className="section" aria-label="Import result">
      <h2>Imported</h2>
      <p role="status">
        {result.count} {result.count === 1 ? 'task was' : 'tasks were'} created.{' '}
        <Link to="/$orgSlug/projects/$key" params={{ orgSlug, key: projectKey }}>
          See them on the board
        </Link>
      </p>
      <ul aria-label="Imported tasks">
        {shown.map((taskId, index) => (
          <li key={taskId}>
            <Link to={taskPath} params={{ orgSlug, ref: taskId }}>
              {result.tasks[index]?.title}
            </Link>
          </li>
        ))}
      </ul>
      {result.count > shown.length ? <p className="muted">The first {shown.length} are listed.</p> : null}
      <button type="button" onClick={onAgain}>
        Import another file
      </button>
    </section>
  );
}

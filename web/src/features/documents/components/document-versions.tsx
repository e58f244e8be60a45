import { useState } from 'react';
import { ErrorText, Loading } from '../../../components/feedback';
import { type DocumentVersionDiff, useDocumentVersions, useRestoreVersion, useVersionDiff } from '../api';

const when = (iso: string) => new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });

type Props = { orgId: string; documentId: string; canWrite: boolean };

/**
 * The document's versions, newest first: who saved each and when, a comparison of any two,
 * and (for writers) restoring one, which saves it again as the newest version.
 */
export function DocumentVersions({ orgId, documentId, canWrite }: Props) {
  const versions = useDocumentVersions(orgId, documentId);
  const restore = useRestoreVersion(orgId, documentId);
  const items = versions.data?.pages.flatMap((page) => page.items) ?? [];
  const newest = items[0]?.version;
  const [range, setRange] = useState<{ from: number; to: number } | null>(null);
  const diff = useVersionDiff(orgId, documentId, range);

  return (
    <section className="document-versions" aria-labelledby="versions-heading">
      <h2 id="versions-heading">Versions</h2>
      {versions.isPending ? <Loading label="Loading versions…" /> : null}
      <ErrorText error={versions.error} />
      <ErrorText error={restore.error} />
      <ol className="version-list">
        {items.map((item) => (
          <li key={item.id} aria-label={`Version ${item.version}`}>
            <span>
              <strong>Version {item.version}</strong> by {item.author?.name ?? 'a former member'}{' '}
              <time className="muted" dateTime={item.createdAt}>
                {when(item.createdAt)}
              </time>
              {item.restoredFrom ? <span className="muted"> (restored from version {item.restoredFrom})</span> : null}
              {item.version === newest ? <span className="tag">current</span> : null}
            </span>
            <span className="row">
              {item.version > 1 ? (
                <button type="button" className="button-quiet" onClick={() => setRange({ from: item.version - 1, to: item.version })}>
                  Changes in version {item.version}
                </button>
              ) : null}
              {newest !== undefined && item.version !== newest ? (
                <button type="button" className="button-quiet" onClick={() => setRange({ from: item.version, to: newest })}>
                  Compare version {item.version} with current
                </button>
              ) : null}
              {canWrite && item.version !== newest ? (
                <button
                  type="button"
                  className="button-quiet"
                  disabled={restore.isPending}
                  onClick={() => restore.mutate(item.version, { onSuccess: () => setRange(null) })}
                >
                  Restore version {item.version}
                </button>
              ) : null}
            </span>
          </li>
        ))}
      </ol>
      {versions.hasNextPage ? (
        <button type="button" className="button-quiet" disabled={versions.isFetchingNextPage} onClick={() => void versions.fetchNextPage()}>
          Show older versions
        </button>
      ) : null}
      {range ? (
        <>
          {diff.isPending ? <Loading label="Comparing…" /> : null}
          <ErrorText error={diff.error} />
          {diff.data ? <DiffView diff={diff.data} onClose={() => setRange(null)} /> : null}
        </>
      ) : null}
    </section>
  );
}

/** Removed lines struck through, added lines underlined, each also marked with − or + for those who cannot see colour. */
function DiffView({ diff, onClose }: { diff: DocumentVersionDiff; onClose: () => void }) {
  const heading = `Changes from version ${diff.from} to version ${diff.to}`;
  const lines = diff.parts.flatMap((part, index) =>
    part.value
      .replace(/\n$/, '')
      .split('\n')
      .map((line, at) => ({ key: `${index}-${at}`, kind: part.kind, line })),
  );
  const changed = diff.parts.some((part) => part.kind !== 'unchanged');
  return (
    <section className="card version-diff" aria-label={heading}>
      <div className="row">
        <h3>{heading}</h3>
        <button type="button" className="button-quiet" onClick={onClose}>
          Close comparison
        </button>
      </div>
      {diff.title.changed ? (
        <p>
          Title: <del>{diff.title.from}</del> → <ins>{diff.title.to}</ins>
        </p>
      ) : null}
      {changed ? (
        <pre className="diff-lines">
          {lines.map(({ key, kind, line }) =>
            kind === 'added' ? (
              <ins key={key}>{`+ ${line}\n`}</ins>
            ) : kind === 'removed' ? (
              <del key={key}>{`− ${line}\n`}</del>
            ) : (
              <span key={key}>{`  ${line}\n`}</span>
            ),
          )}
        </pre>
      ) : (
        <p className="muted">The text is the same in both versions.</p>
      )}
    </section>
  );
}

import { useState } from 'react';

/** Copies `text`; says so for a moment. The text itself is shown beside it, for when copying is not allowed. */
export function CopyButton({ text, label = 'Copy link' }: { text: string; label?: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  return (
    <>
      <button
        type="button"
        onClick={() => {
          navigator.clipboard.writeText(text).then(
            () => setState('copied'),
            () => setState('failed'),
          );
          setTimeout(() => setState('idle'), 2500);
        }}
      >
        {label}
      </button>
      <span role="status" className="muted">
        {state === 'copied' ? 'Copied.' : state === 'failed' ? 'Copying is blocked here: select the link and copy it.' : ''}
      </span>
    </>
  );
}

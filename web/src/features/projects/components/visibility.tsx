import { useId } from 'react';
import type { Project } from '../api';

export type Visibility = Project['visibility'];

const VISIBILITY_LABELS: Record<Visibility, string> = {
  organization: 'Everyone in the organization',
  private: 'Only project members (and admins)',
};

/** The lock a private project carries wherever it is named: an image with a name, not a bare glyph. */
export function PrivateMarker({ project }: { project: Pick<Project, 'visibility'> }) {
  if (project.visibility !== 'private') return null;
  return (
    <span className="private-marker" role="img" aria-label="Private project" title="Private: only its members and the organization's admins see it">
      🔒
    </span>
  );
}

/** Who may see a project: a labelled choice for the create and settings forms. */
export function VisibilityField({ value, onChange }: { value: Visibility; onChange: (value: Visibility) => void }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>Who can see it</label>
      <select id={id} value={value} onChange={(event) => onChange(event.target.value as Visibility)}>
        {(Object.keys(VISIBILITY_LABELS) as Visibility[]).map((option) => (
          <option key={option} value={option}>
            {VISIBILITY_LABELS[option]}
          </option>
        ))}
      </select>
    </div>
  );
}

/** The visibility as text, for those who may not change it. */
export function visibilityLabel(value: Visibility): string {
  return VISIBILITY_LABELS[value];
}

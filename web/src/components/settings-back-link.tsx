import { Link } from '@tanstack/react-router';

/** The way back from a settings sub-page to `/{orgSlug}/settings`. */
export function SettingsBackLink({ orgSlug }: { orgSlug: string }) {
  return (
    <p>
      <Link to="/$orgSlug/settings" params={{ orgSlug }}>
        ← Settings
      </Link>
    </p>
  );
}

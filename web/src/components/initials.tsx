/**
 * A person's or organization's initials in a circle. Images from other hosts are never loaded
 * (the CSP allows only our origin), so initials stand in for avatars and logos.
 */
export function Initials({ name, size = 'md' }: { name: string; size?: 'sm' | 'md' }) {
  const letters =
    name
      .split(/[\s@._-]+/)
      .filter(Boolean)
      .slice(0, 2)
      .map((part) => part[0]!.toUpperCase())
      .join('') || '?';
  return (
    <span className={`initials initials-${size}`} aria-hidden="true">
      {letters}
    </span>
  );
}

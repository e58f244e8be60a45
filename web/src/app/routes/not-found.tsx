import { Link } from '@tanstack/react-router';

/** Anything that does not exist, or is not yours to see: the same words either way. */
export function NotFoundPage() {
  return (
    <section className="narrow">
      <h1>Not found</h1>
      <p>This page does not exist, or you do not have access to it.</p>
      <p>
        <Link to="/">Go to your organizations</Link>
      </p>
    </section>
  );
}

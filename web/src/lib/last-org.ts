const KEY = 'tenantry.lastOrg';

/** The organization last opened in this browser, so `/` reopens it. Only a slug: nothing private. */
export function lastOrgSlug(): string | null {
  try {
    return localStorage.getItem(KEY);
  } catch {
    return null;
  }
}

export function rememberOrgSlug(slug: string): void {
  try {
    localStorage.setItem(KEY, slug);
  } catch {
    // Storage may be disabled; remembering is only a convenience.
  }
}

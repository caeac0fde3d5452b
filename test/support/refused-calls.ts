// Which log lines of a palisade process tell of a call the API server refused (403 Forbidden).
// Only text and status codes are read: a number such as `durationMs: 9.403` holds "403" after a
// word boundary, and matching the line's JSON read it as a refusal.

const FORBIDDEN = /forbidden|\b403\b/i;

function tellsOfRefusal(value: unknown, key: string | undefined): boolean {
  if (typeof value === 'string') return FORBIDDEN.test(value);
  if (typeof value === 'number') return value === 403 && key !== undefined && /code|status/i.test(key);
  if (Array.isArray(value)) return value.some((v) => tellsOfRefusal(v, key));
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).some(([k, v]) => tellsOfRefusal(v, k));
  }
  return false;
}

export function refusedCalls<T>(logs: readonly T[]): T[] {
  return logs.filter((line) => tellsOfRefusal(line, undefined));
}

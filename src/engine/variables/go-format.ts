/**
 * @module Go's `encoding/json.Marshal` of decoded JSON data (sorted keys, HTML-escaped strings), which
 * variable substitution uses to put non-string values into strings. `fmt.Sprint` is in primitives/go-sprint.
 */

function goJsonNumber(n: number): string {
  if (!Number.isFinite(n)) return 'null';
  const s = JSON.stringify(n);
  // JS and Go use exponents at the same thresholds, but Go pads them to two digits.
  return s.replace(/e([+-])(\d)$/, 'e$10$2');
}

function goJsonString(s: string): string {
  return JSON.stringify(s).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** `json.Marshal(v)`: map keys sorted, `<`, `>`, `&` escaped, Go number formatting. */
export function goJsonMarshal(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return goJsonString(value);
  if (typeof value === 'number') return goJsonNumber(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (Array.isArray(value)) return `[${value.map(goJsonMarshal).join(',')}]`;
  if (typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    const parts = Object.keys(obj)
      .filter((k) => obj[k] !== undefined)
      .sort()
      .map((k) => `${goJsonString(k)}:${goJsonMarshal(obj[k])}`);
    return `{${parts.join(',')}}`;
  }
  return 'null';
}

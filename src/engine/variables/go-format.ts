/**
 * @module Go's text renderings of JSON data, which Kyverno messages and operators expose:
 * `fmt.Sprint` (`%v`) and `encoding/json.Marshal` (sorted keys, HTML-escaped strings).
 */

/** `strconv.FormatFloat(f, 'g', -1, 64)` as `%v` prints a float64: `1e+06`, `3.14`, `100000`. */
export function goFormatFloat(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Number.POSITIVE_INFINITY) return '+Inf';
  if (n === Number.NEGATIVE_INFINITY) return '-Inf';
  if (n === 0) return Object.is(n, -0) ? '-0' : '0';
  const [mantissa = '', expPart = '0'] = n.toExponential().split('e');
  const exp = Number(expPart);
  // Go switches to exponent form below 1e-4 and from 1e6 on (shortest precision → 6).
  if (exp < -4 || exp >= 6)
    return `${mantissa}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  return String(n);
}

/** `fmt.Sprint(v)` for decoded JSON: strings raw, `<nil>`, `[a b]`, `map[k:v]` (sorted keys). */
export function goSprint(value: unknown): string {
  if (value === null || value === undefined) return '<nil>';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return goFormatFloat(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (Array.isArray(value)) return `[${value.map(goSprint).join(' ')}]`;
  if (typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    const parts = Object.keys(obj)
      .sort()
      .map((k) => `${k}:${goSprint(obj[k])}`);
    return `map[${parts.join(' ')}]`;
  }
  return String(value);
}

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

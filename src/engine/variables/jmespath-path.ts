/** @module Renders a document path as a JMESPath expression, as Kyverno's jsonpointer does for `{{@}}`. */

const UNQUOTED = /^[(A-Za-z_][)0-9A-Za-z_]*$/;
const ESCAPES: Record<string, string> = {
  '"': '\\"',
  '\\': '\\\\',
  '/': '\\/',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
};

function quote(segment: string): string {
  let out = '"';
  for (const ch of segment) {
    const code = ch.codePointAt(0) ?? 0;
    const escaped = ESCAPES[ch];
    if (escaped !== undefined) out += escaped;
    else if (code < 0x20) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

/** `['spec', 'containers', 0, 'image']` → `spec.containers[0].image`; odd keys are quoted. */
export function toJmespath(segments: readonly (string | number)[]): string {
  let out = '';
  for (const seg of segments) {
    const s = String(seg);
    if (/^\d+$/.test(s)) {
      out += `[${s}]`;
      continue;
    }
    if (out !== '') out += '.';
    out += UNQUOTED.test(s) ? s : quote(s);
  }
  return out;
}

/**
 * @module cel-go ext strings (v2) functions that cel-js lacks: charAt, replace, reverse,
 * strings.quote and format. (indexOf, lastIndexOf, split, substring, trim, join, lower/upperAscii
 * are cel-js built-ins.)
 */
import { Buffer } from 'node:buffer';
import { CelEvalError } from '../errors.js';
import { type CelLibrary, namespaceLibraryParts } from './types.js';

function charAt(s: string, i: bigint): string {
  const chars = [...s];
  if (i < 0n || i > BigInt(chars.length)) throw new CelEvalError(`index out of range: ${i}`);
  return chars[Number(i)] ?? '';
}

function replace(s: string, from: string, to: string, n: bigint): string {
  if (n < 0n) return s.split(from).join(to);
  let out = '';
  let rest = s;
  for (let done = 0n; done < n; done++) {
    const at = rest.indexOf(from);
    if (at < 0) break;
    out += rest.slice(0, at) + to;
    rest = rest.slice(at + from.length);
    if (from === '') {
      out += rest.slice(0, 1);
      rest = rest.slice(1);
      if (rest === '') break;
    }
  }
  return out + rest;
}

function quote(s: string): string {
  let out = '"';
  for (const c of s) {
    const code = c.codePointAt(0) ?? 0;
    if (c === '"') out += '\\"';
    else if (c === '\\') out += '\\\\';
    else if (c === '\n') out += '\\n';
    else if (c === '\r') out += '\\r';
    else if (c === '\t') out += '\\t';
    else if (code < 0x20) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += c;
  }
  return `${out}"`;
}

function formatValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return `[${v.map(formatValue).join(', ')}]`;
  if (typeof v === 'object' && !(v instanceof Date)) {
    const entries = v instanceof Map ? [...v] : Object.entries(v as object);
    return `{${entries.map(([k, x]) => `${formatValue(k)}:${formatValue(x)}`).join(', ')}}`;
  }
  if (v instanceof Date) return v.toISOString().replace('.000Z', 'Z');
  return String(v);
}

/** `"%s is %d".format([a, b])`: %s %d %f %e %x %X %o %b and %%, as cel-go's string formatter. */
function format(template: string, args: readonly unknown[]): string {
  let out = '';
  let next = 0;
  for (let i = 0; i < template.length; i++) {
    const c = template[i];
    if (c !== '%') {
      out += c;
      continue;
    }
    let j = i + 1;
    let precision: number | undefined;
    const m = /^\.(\d+)/.exec(template.slice(j));
    if (m) {
      precision = Number(m[1]);
      j += m[0].length;
    }
    const verb = template[j];
    i = j;
    if (verb === '%') {
      out += '%';
      continue;
    }
    if (next >= args.length) throw new CelEvalError(`index ${next} out of range`);
    const arg = args[next++];
    switch (verb) {
      case 's':
        out += typeof arg === 'string' ? arg : formatValue(arg);
        break;
      case 'd':
        if (typeof arg !== 'bigint')
          throw new CelEvalError('error during formatting: decimal clause can only be used on integers');
        out += arg.toString();
        break;
      case 'f':
      case 'e':
        out +=
          verb === 'f'
            ? Number(arg).toFixed(precision ?? 6)
            : Number(arg)
                .toExponential(precision ?? 6)
                .replace(/e([+-])(\d)$/, 'e$10$2');
        break;
      case 'x':
      case 'X': {
        const hex =
          typeof arg === 'string' ? Buffer.from(arg).toString('hex') : BigInt(arg as bigint).toString(16);
        out += verb === 'X' ? hex.toUpperCase() : hex;
        break;
      }
      case 'o':
        out += BigInt(arg as bigint).toString(8);
        break;
      case 'b':
        out += typeof arg === 'boolean' ? String(arg) : BigInt(arg as bigint).toString(2);
        break;
      default:
        throw new CelEvalError(
          `could not parse formatting clause: unrecognized formatting clause "${verb ?? ''}"`,
        );
    }
  }
  return out;
}

export function stringsExtLibrary(): CelLibrary {
  return {
    name: 'strings-ext',
    ...namespaceLibraryParts('StringsNamespace', 'strings'),
    functions: [
      { signature: 'string.charAt(int): string', impl: charAt },
      {
        signature: 'string.replace(string, string): string',
        impl: (s: string, a: string, b: string) => replace(s, a, b, -1n),
      },
      { signature: 'string.replace(string, string, int): string', impl: replace },
      { signature: 'string.reverse(): string', impl: (s: string) => [...s].reverse().join('') },
      { signature: 'string.format(list): string', impl: format },
      { signature: 'StringsNamespace.quote(string): string', impl: (_: unknown, s: string) => quote(s) },
    ],
  };
}

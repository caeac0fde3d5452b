/**
 * @module The value of a plain (unquoted) YAML scalar as Kubernetes decodes it: the YAML 1.1 rules of
 * the `yaml` package's 1.1 schema (`yes`/`on` are booleans, `0o`-less octal, `1_000`), without
 * timestamps and sexagesimal numbers, and a number only when Go could parse it (`.`, `-.` or `0x_`
 * stay strings). The fast loader resolves scalars here; load-documents.test.ts checks both agree.
 */

/** A plain `<<`: a merge key, which only the full parser handles. */
export const MERGE = Symbol('merge');

const NULL = /^(?:~|[Nn]ull|NULL)?$/;
const TRUE = /^(?:Y|y|[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON)$/;
const FALSE = /^(?:N|n|[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF)$/;
const INT_BIN = /^[-+]?0b[0-1_]+$/;
const INT_OCT = /^[-+]?0[0-7_]+$/;
const INT_DEC = /^[-+]?[0-9][0-9_]*$/;
const INT_HEX = /^[-+]?0x[0-9a-fA-F_]+$/;
const FLOAT_SPECIAL = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const FLOAT_EXP = /^[-+]?(?:[0-9][0-9_]*)?(?:\.[0-9_]*)?[eE][-+]?[0-9]+$/;
const FLOAT = /^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*$/;

function int(src: string, prefix: number, radix: number): number | string {
  const sign = src[0];
  const digits = src.substring(sign === '-' || sign === '+' ? prefix + 1 : prefix).replace(/_/g, '');
  const n = Number.parseInt(digits, radix);
  if (Number.isNaN(n)) return src;
  return sign === '-' ? -1 * n : n;
}

function float(src: string): number | string {
  const n = Number.parseFloat(src.replace(/_/g, ''));
  return Number.isNaN(n) ? src : n;
}

/** Characters a plain scalar that is not a string can start with (anything else is a string). */
function mayBeTyped(c: number): boolean {
  // digits + - . ~ < and the letters of null/true/false/yes/no/on/off (any case)
  if (c >= 0x30 && c <= 0x39) return true;
  switch (c) {
    case 0x2b: // +
    case 0x2d: // -
    case 0x2e: // .
    case 0x7e: // ~
    case 0x3c: // <
    case 0x4e: // N
    case 0x6e: // n
    case 0x54: // T
    case 0x74: // t
    case 0x46: // F
    case 0x66: // f
    case 0x59: // Y
    case 0x79: // y
    case 0x4f: // O
    case 0x6f: // o
      return true;
    default:
      return false;
  }
}

/** The decoded value of plain scalar text (already folded). Same tag order as the `yaml` package. */
export function plainScalar(src: string): string | number | boolean | null | typeof MERGE {
  if (src.length === 0) return null;
  const c = src.charCodeAt(0);
  if (!mayBeTyped(c)) return src;
  if (c >= 0x41) {
    // A letter or `~`: only the words of null, true and false (five characters at most) are typed;
    // numbers start with a digit, a sign or a dot, and a merge key with `<`.
    if (src.length > 5) return src;
    if (NULL.test(src)) return null;
    if (TRUE.test(src)) return true;
    if (FALSE.test(src)) return false;
    return src;
  }
  // A digit, a sign, a dot or `<`: a number, a merge key or a string.
  if (INT_BIN.test(src)) return int(src, 2, 2);
  if (INT_OCT.test(src)) return int(src, 1, 8);
  if (INT_DEC.test(src)) return int(src, 0, 10);
  if (INT_HEX.test(src)) return int(src, 2, 16);
  if (FLOAT_SPECIAL.test(src)) {
    if (src.slice(-3).toLowerCase() === 'nan') return Number.NaN;
    return src[0] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  }
  if (FLOAT_EXP.test(src) || FLOAT.test(src)) return float(src);
  if (src === '<<') return MERGE;
  return src;
}

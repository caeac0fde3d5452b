/**
 * @module IP address text ↔ bytes, as Go reads and prints it: `net.ParseIP` / `netip.ParseAddr`
 * (dotted IPv4 without leading zeros, IPv6 with one `::` and an optional trailing dotted IPv4, no
 * zones) and `netip.Addr.String()` / `net.IP.String()` (RFC 5952: the longest run of zero groups,
 * the first on a tie, becomes `::`).
 */

/** Dotted IPv4 → 4 bytes; undefined when Go would reject it. */
export function parseIPv4(s: string): number[] | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  const out: number[] = [];
  for (const p of parts) {
    // Go rejects leading zeros (ambiguous octal) since 1.17.
    if (!/^(0|[1-9]\d{0,2})$/.test(p) || Number(p) > 255) return undefined;
    out.push(Number(p));
  }
  return out;
}

/** Colon-hex groups of one side of `::`; a trailing dotted IPv4 counts as two groups. */
function groupsOf(part: string): number[] | undefined {
  if (part === '') return [];
  const out: number[] = [];
  const items = part.split(':');
  for (let i = 0; i < items.length; i++) {
    const item = items[i] ?? '';
    if (i === items.length - 1 && item.includes('.')) {
      const v4 = parseIPv4(item);
      if (v4 === undefined) return undefined;
      out.push(((v4[0] ?? 0) << 8) | (v4[1] ?? 0), ((v4[2] ?? 0) << 8) | (v4[3] ?? 0));
    } else if (/^[0-9A-Fa-f]{1,4}$/.test(item)) {
      out.push(Number.parseInt(item, 16));
    } else {
      return undefined;
    }
  }
  return out;
}

/** IPv6 text → 16 bytes; undefined when Go would reject it (zones included). */
export function parseIPv6(s: string): number[] | undefined {
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const head = groupsOf(halves[0] ?? '');
  const tail = halves.length === 2 ? groupsOf(halves[1] ?? '') : [];
  if (head === undefined || tail === undefined) return undefined;
  const missing = 8 - head.length - tail.length;
  // `::` must stand for at least one group; without it the groups must be exactly eight.
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const all = [...head, ...new Array<number>(missing).fill(0), ...tail];
  return all.flatMap((g) => [g >> 8, g & 0xff]);
}

/** Either family: 4 bytes for dotted IPv4, 16 for IPv6 text. */
export function parseIp(s: string): number[] | undefined {
  return s.includes(':') ? parseIPv6(s) : parseIPv4(s);
}

/** `::ffff:a.b.c.d`: an IPv4 address carried in IPv6 form. */
export function isIPv4Mapped(bytes: readonly number[]): boolean {
  return (
    bytes.length === 16 &&
    bytes.slice(0, 10).every((b) => b === 0) &&
    bytes[10] === 0xff &&
    bytes[11] === 0xff
  );
}

function formatIPv6(bytes: readonly number[]): string {
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0));
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

/** `netip.Addr.String()` for 4 or 16 bytes; an IPv4-mapped address keeps its `::ffff:` form. */
export function formatAddr(bytes: readonly number[]): string {
  if (bytes.length === 4) return bytes.join('.');
  if (isIPv4Mapped(bytes)) return `::ffff:${bytes.slice(12).join('.')}`;
  return formatIPv6(bytes);
}

/**
 * `net.IP.String()`, which x509 and cosign print SANs with: an IPv4-mapped address prints as IPv4,
 * any length but 4 and 16 as `?` and hex, no bytes as `<nil>`.
 */
export function formatNetIp(bytes: readonly number[]): string {
  if (bytes.length === 0) return '<nil>';
  if (bytes.length === 4) return bytes.join('.');
  if (bytes.length !== 16) return `?${bytes.map((b) => b.toString(16).padStart(2, '0')).join('')}`;
  return isIPv4Mapped(bytes) ? bytes.slice(12).join('.') : formatIPv6(bytes);
}

/**
 * @module Share links: the whole state in the URL's hash, as JSON compressed with the platform's
 * CompressionStream('deflate-raw') and written in base64url. The hash never reaches a server.
 */
import { type PlaygroundState, stateFrom } from './state.js';

/** Hash prefix naming the format, so a later format can be told apart. */
const PREFIX = 's1.';

/** A state larger than this is refused: a small link must not inflate into gigabytes. */
export const MAX_STATE_BYTES = 8 * 1024 * 1024;

/** `bytes` through `stream`; undefined when the output grows past MAX_STATE_BYTES. */
async function pipe(
  bytes: Uint8Array,
  stream: CompressionStream | DecompressionStream,
): Promise<Uint8Array | undefined> {
  const reader = new Blob([bytes.slice().buffer]).stream().pipeThrough(stream).getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > MAX_STATE_BYTES) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

function toBase64Url(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array {
  const s = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** The hash (without `#`) that holds `state`; empty fields are left out. */
export async function encodeState(state: PlaygroundState): Promise<string> {
  const kept = Object.fromEntries(Object.entries(state).filter(([, v]) => v !== ''));
  const packed = await pipe(
    new TextEncoder().encode(JSON.stringify(kept)),
    new CompressionStream('deflate-raw'),
  );
  // Compressed output stays far below the bound (deflate shrinks); the bound guards decoding.
  return PREFIX + toBase64Url(packed ?? new Uint8Array());
}

/** The state a hash holds, or undefined when it holds none (or a damaged one). */
export async function decodeState(hash: string): Promise<PlaygroundState | undefined> {
  const body = hash.replace(/^#/, '');
  if (!body.startsWith(PREFIX)) return undefined;
  try {
    const bytes = await pipe(
      fromBase64Url(body.slice(PREFIX.length)),
      new DecompressionStream('deflate-raw'),
    );
    return stateFrom(JSON.parse(new TextDecoder().decode(bytes)));
  } catch {
    return undefined;
  }
}

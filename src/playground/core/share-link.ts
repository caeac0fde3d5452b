/**
 * @module Share links: the whole state in the URL's hash, as JSON compressed with the platform's
 * CompressionStream('deflate-raw') and written in base64url. The hash never reaches a server.
 */
import { type PlaygroundState, stateFrom } from './state.js';

/** Hash prefix naming the format, so a later format can be told apart. */
const PREFIX = 's1.';

async function pipe(bytes: Uint8Array, stream: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const out = new Blob([bytes.slice().buffer]).stream().pipeThrough(stream);
  return new Uint8Array(await new Response(out).arrayBuffer());
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
  return PREFIX + toBase64Url(packed);
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

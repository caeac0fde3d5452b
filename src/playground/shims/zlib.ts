/**
 * @module `node:zlib` in the browser bundle: the browser decompresses only asynchronously, and the
 * engine's one use (gzip inside a manifest signature, validate.manifests) falls back when this throws.
 */
export function gunzipSync(_bytes: Uint8Array): Uint8Array {
  throw new Error('gzip decompression is not available in the playground');
}

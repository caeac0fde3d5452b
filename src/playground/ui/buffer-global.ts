// esbuild's `inject`: code that uses Node's global `Buffer` without importing it gets the shim.
export { Buffer } from '../shims/buffer.js';

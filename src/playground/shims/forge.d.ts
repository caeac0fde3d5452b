// node-forge's message digests, loaded one module at a time (the full library is far larger).
declare module 'node-forge/lib/forge.js' {
  interface Digest {
    update(bytes: string, encoding?: 'raw' | 'utf8'): Digest;
    digest(): { bytes(): string };
  }
  interface Hmac {
    start(md: string, key: string): void;
    update(bytes: string): void;
    digest(): { bytes(): string };
  }
  const forge: {
    md: Record<string, { create(): Digest }>;
    hmac: { create(): Hmac };
  };
  export default forge;
}
declare module 'node-forge/lib/md5.js';
declare module 'node-forge/lib/sha1.js';
declare module 'node-forge/lib/sha256.js';
declare module 'node-forge/lib/sha512.js';
declare module 'node-forge/lib/hmac.js';

/**
 * @module The request body limit (default 3 MiB: the API server caps objects at about 1.5 MiB, and an
 * UPDATE review carries two). A larger body is a 413; the API server then applies the webhook's
 * failure policy. The body is read no further than the limit.
 */
import type { Readable } from 'node:stream';
import { errorReply, type HttpHandler, type HttpReply } from '../http.js';

export const DEFAULT_MAX_BODY_BYTES = 3 * 1024 * 1024;

export function tooLarge(maxBytes: number): HttpReply {
  return errorReply(413, `the request body is larger than ${maxBytes} bytes`);
}

/** Answers 413 for a body over `maxBytes` without calling `handler`. */
export function withBodyLimit(handler: HttpHandler, maxBytes: number): HttpHandler {
  return (call) => (call.body.byteLength > maxBytes ? Promise.resolve(tooLarge(maxBytes)) : handler(call));
}

/**
 * Reads a request body up to `maxBytes`; stops reading (and resolves `too-large`) as soon as more
 * arrives. Rejects if the stream fails.
 */
export function readBody(stream: Readable, maxBytes: number): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.byteLength;
      if (size > maxBytes) {
        cleanup();
        stream.pause();
        resolve('too-large');
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      cleanup();
      resolve(Buffer.concat(chunks, size));
    };
    const onError = (err: Error): void => {
      cleanup();
      reject(err);
    };
    const cleanup = (): void => {
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('error', onError);
    };
    stream.on('data', onData);
    stream.on('end', onEnd);
    stream.on('error', onError);
  });
}

// The body limit: a stream is read no further than the limit; an in-process call over it is a 413.
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, test } from 'node:test';
import { jsonReply } from '../http.js';
import { readBody, withBodyLimit } from './body-limit.js';

describe('body limit', () => {
  test('reads a body within the limit whole', async () => {
    const body = await readBody(Readable.from([Buffer.from('ab'), Buffer.from('cd')]), 4);
    assert.equal(body === 'too-large' ? body : body.toString(), 'abcd');
  });
  test('stops at the first chunk past the limit and never reads the rest', async () => {
    let pulled = 0;
    const stream = new Readable({
      highWaterMark: 1024,
      read() {
        pulled++;
        this.push(Buffer.alloc(1024));
      },
    });
    assert.equal(await readBody(stream, 4096), 'too-large');
    // 5 chunks pass the limit; the stream's read-ahead adds at most its high-water mark.
    assert.ok(pulled <= 7, `read ${pulled} chunks`);
  });
  test('a call over the limit is a 413 without reaching the handler', async () => {
    let called = false;
    const h = withBodyLimit(async () => {
      called = true;
      return jsonReply(200, {});
    }, 3);
    assert.equal((await h({ method: 'POST', path: '/validate', body: Buffer.from('abcd') })).status, 413);
    assert.equal(called, false);
  });
});

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { JsonAnswer, KubeHttp } from './kube-http.js';
import { listWatchClient, type WatchEvent } from './list-watch-client.js';

/** Answers GETs from a table by path+query; streams give their lines then their answer. */
function fakeHttp(
  gets: Record<string, JsonAnswer>,
  streams: Record<string, { lines: unknown[]; answer: JsonAnswer }> = {},
): KubeHttp & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    async getJson(path) {
      asked.push(path);
      const a = gets[path];
      if (a === undefined) throw new Error(`unexpected GET ${path}`);
      return a;
    },
    async stream(path, onLine) {
      asked.push(path);
      const s = Object.entries(streams).find(([prefix]) => path.startsWith(prefix))?.[1];
      if (s === undefined) throw new Error(`unexpected watch ${path}`);
      for (const l of s.lines) onLine(l);
      return s.answer;
    },
  };
}

const signal = new AbortController().signal;
const P = '/apis/kyverno.io/v1/clusterpolicies';
const item = (name: string) => ({ metadata: { name } });

describe('listWatchClient', () => {
  test('a list follows continue tokens and keeps the last resourceVersion', async () => {
    const http = fakeHttp({
      [`${P}?limit=500`]: { status: 200, body: { items: [item('a')], metadata: { continue: 'c1' } } },
      [`${P}?limit=500&continue=c1`]: {
        status: 200,
        body: { items: [item('b')], metadata: { resourceVersion: '42' } },
      },
    });
    const r = await listWatchClient(http).list(P, signal);
    assert.deepEqual(r, { kind: 'listed', items: [item('a'), item('b')], resourceVersion: '42' });
  });

  test('404 is a collection that is not served; other errors say what failed', async () => {
    assert.deepEqual(
      await listWatchClient(fakeHttp({ [`${P}?limit=500`]: { status: 404, body: {} } })).list(P, signal),
      {
        kind: 'missing',
      },
    );
    await assert.rejects(
      listWatchClient(
        fakeHttp({ [`${P}?limit=500`]: { status: 403, body: { message: 'forbidden: cannot list' } } }),
      ).list(P, signal),
      /list \/apis\/kyverno.io\/v1\/clusterpolicies: HTTP 403: forbidden: cannot list/,
    );
  });

  test('a watch passes changes and bookmarks on, and says how it ended', async () => {
    const events: WatchEvent[] = [];
    const http = fakeHttp(
      {},
      {
        [`${P}?watch=true`]: {
          lines: [
            { type: 'ADDED', object: item('a') },
            { type: 'BOOKMARK', object: { metadata: { resourceVersion: '50' } } },
            { type: 'DELETED', object: item('a') },
          ],
          answer: { status: 200, body: undefined },
        },
      },
    );
    const end = await listWatchClient(http).watch(P, '42', (e) => events.push(e), signal);
    assert.equal(end, 'closed');
    assert.deepEqual(
      events.map((e) => e.type),
      ['ADDED', 'BOOKMARK', 'DELETED'],
    );
    assert.match(http.asked[0] ?? '', /resourceVersion=42/);
    assert.match(http.asked[0] ?? '', /allowWatchBookmarks=true/);
  });

  test('410 Gone, as an answer or as an ERROR event, asks for a new list', async () => {
    const asAnswer = fakeHttp({}, { [P]: { lines: [], answer: { status: 410, body: {} } } });
    assert.equal(await listWatchClient(asAnswer).watch(P, '1', () => {}, signal), 'gone');
    const asEvent = fakeHttp(
      {},
      {
        [P]: {
          lines: [{ type: 'ERROR', object: { kind: 'Status', code: 410 } }],
          answer: { status: 200, body: undefined },
        },
      },
    );
    assert.equal(await listWatchClient(asEvent).watch(P, '1', () => {}, signal), 'gone');
    const other = fakeHttp(
      {},
      {
        [P]: {
          lines: [{ type: 'ERROR', object: { kind: 'Status', code: 500, message: 'boom' } }],
          answer: { status: 200, body: undefined },
        },
      },
    );
    await assert.rejects(
      listWatchClient(other).watch(P, '1', () => {}, signal),
      /HTTP 500: boom/,
    );
  });
});

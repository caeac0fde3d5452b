// The JSON log line: fixed fields first, then the caller's, in order; one object per line.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createLogger } from './log.js';

const at = new Date('2026-01-02T03:04:05.678Z');

function lines(run: (log: ReturnType<typeof createLogger>) => void): string[] {
  const out: string[] = [];
  run(
    createLogger(
      (line) => out.push(line),
      () => at,
    ),
  );
  return out;
}

describe('log lines', () => {
  test('time, level and message come first, then the fields in their order', () => {
    const [line] = lines((log) =>
      log.info('admission', { uid: 'u1', allowed: false, n: 2, skip: undefined }),
    );
    assert.equal(
      line,
      '{"time":"2026-01-02T03:04:05.678Z","level":"info","msg":"admission","uid":"u1","allowed":false,"n":2}',
    );
  });

  test('a line without fields, and a message that needs escaping', () => {
    const [line] = lines((log) => log.warn('say "hi"\n'));
    assert.equal(line, '{"time":"2026-01-02T03:04:05.678Z","level":"warn","msg":"say \\"hi\\"\\n"}');
    assert.deepEqual(JSON.parse(line ?? ''), { time: at.toISOString(), level: 'warn', msg: 'say "hi"\n' });
  });

  test('fields named like the fixed ones replace them, once each', () => {
    const [line] = lines((log) => log.error('m', { msg: 'other', x: 1 }));
    assert.equal(line, '{"time":"2026-01-02T03:04:05.678Z","level":"error","msg":"other","x":1}');
  });

  test('fields that cannot be written give a line that says so', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const [line] = lines((log) => log.info('m', cyclic));
    assert.deepEqual(JSON.parse(line ?? ''), {
      time: at.toISOString(),
      level: 'info',
      msg: 'm',
      note: 'fields not serialisable',
    });
  });

  test('each line has its own time, whether or not the millisecond changed', () => {
    const times = [at, at, new Date(at.getTime() + 1), new Date(at.getTime() + 1), at];
    const out: string[] = [];
    let i = 0;
    const log = createLogger(
      (line) => out.push(line),
      () => times[i++] ?? at,
    );
    for (let n = 0; n < times.length; n++) log.info('m');
    assert.deepEqual(
      out.map((l) => (JSON.parse(l) as { time: string }).time),
      times.map((t) => t.toISOString()),
    );
  });

  test('the head of each line follows its time, level and message in any order of changes', () => {
    const calls: [number, 'info' | 'warn' | 'error', string, Record<string, unknown>][] = [
      [0, 'info', 'admission', { a: 1 }],
      [0, 'info', 'admission', { a: 2 }],
      [0, 'warn', 'admission', {}],
      [0, 'warn', 'refused "x"', { b: 'c' }],
      [0, 'info', 'admission', { a: 3 }],
      [1, 'info', 'admission', { a: 4 }],
      [1, 'error', 'admission', { a: 5 }],
      [0, 'error', 'admission', { a: 6 }],
      [0, 'error', 'admission', { level: 'x' }],
      [0, 'error', 'admission', { a: 7 }],
    ];
    const out: string[] = [];
    let i = 0;
    const log = createLogger(
      (line) => out.push(line),
      () => new Date(at.getTime() + (calls[i++]?.[0] ?? 0)),
    );
    for (const [, level, msg, fields] of calls) log[level](msg, fields);
    assert.deepEqual(
      out,
      calls.map(([ms, level, msg, fields]) =>
        JSON.stringify(
          Object.assign({ time: new Date(at.getTime() + ms).toISOString(), level, msg }, fields),
        ),
      ),
    );
  });

  test('without a clock given, each line has the time it was written at', async () => {
    const out: string[] = [];
    const log = createLogger((line) => out.push(line));
    const stamps: [number, number][] = [];
    for (let n = 0; n < 3; n++) {
      const before = Date.now();
      log.info('m', { n });
      stamps.push([before, Date.now()]);
      await new Promise((r) => setTimeout(r, 3));
    }
    for (const [n, line] of out.entries()) {
      const time = Date.parse((JSON.parse(line) as { time: string }).time);
      const [before, after] = stamps[n] ?? [0, 0];
      assert.ok(time >= before && time <= after, `${line} not within ${before}..${after}`);
    }
    assert.notEqual(JSON.parse(out[0] ?? '').time, JSON.parse(out[2] ?? '').time);
  });

  test('the time of each line is its clock reading in ISO form, within a second and across seconds', () => {
    const base = Date.UTC(2026, 0, 2, 3, 4, 5, 0);
    const readings = [
      ...[0, 1, 9, 10, 99, 100, 999, 1000, 1001, 998, 1999, 2000, 5, 5, 60_000, 60_001].map((d) => base + d),
      Date.UTC(10000, 0, 1, 0, 0, 0, 7),
      Date.UTC(10000, 0, 1, 0, 0, 0, 8),
      -1,
      -999,
      -1000,
      0,
      1,
    ];
    const out: string[] = [];
    let i = 0;
    const log = createLogger(
      (line) => out.push(line),
      () => new Date(readings[i++] ?? 0),
    );
    for (let n = 0; n < readings.length; n++) log.info('m');
    assert.deepEqual(
      out.map((l) => (JSON.parse(l) as { time: string }).time),
      readings.map((ms) => new Date(ms).toISOString()),
    );
  });
});

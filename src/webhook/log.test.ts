// The JSON log line: fixed fields first, then the caller's, in order; one object per line.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Decision } from './http.js';
import { createLogger, decisionFields, decisionMembers } from './log.js';

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
});

describe('decision lines', () => {
  const request = {
    uid: 'u-1',
    kind: { group: '', version: 'v1', kind: 'Pod' },
    resource: { group: '', version: 'v1', resource: 'pods' },
    name: 'p',
    namespace: 'ns',
    operation: 'CREATE',
    userInfo: { username: 'alice', uid: '', groups: [] },
    object: {},
    oldObject: null,
  };
  const rule = (name: string, status: string, message = '') => ({
    name,
    status,
    message,
    type: 'Validation',
  });
  const outcome = (over: Record<string, unknown> = {}) => ({
    allowed: true,
    responses: [],
    patchedObject: null,
    patch: [],
    warnings: [],
    enforcedFailures: [],
    auditFailures: [],
    generated: [],
    mutatedTargets: [],
    ...over,
  });
  const endpoint = { path: '/validate' };
  const decisions: [string, Record<string, unknown>][] = [
    ['allowed, no outcome', { request, answer: { response: { uid: 'u-1', allowed: true } } }],
    [
      'skipped, no set',
      {
        request: { ...request, userInfo: undefined },
        answer: { response: { uid: 'u', allowed: true }, skipped: 'excluded-user' },
      },
    ],
    [
      'denied with an escaped message, a group and a subresource, a dry run',
      {
        request: {
          ...request,
          uid: 'é"\\\n\u2028',
          kind: { group: 'apps', version: 'v1', kind: 'Deployment' },
          subResource: 'scale',
          dryRun: true,
          name: '',
        },
        loaded: { generation: 7 },
        answer: {
          response: {
            uid: 'x',
            allowed: false,
            status: { status: 'Failure', message: 'blocked: "a"\n\t</script>' },
          },
          outcome: outcome({
            allowed: false,
            enforcedFailures: [
              { policy: { name: 'p1' }, rule: 'r1' },
              { policy: { name: 'p2' }, rule: 'r "2"' },
            ],
            auditFailures: [{ policy: { name: 'a' }, rule: 'b' }],
            responses: [
              { response: { policyKey: 'p1', rules: [rule('r1', 'fail'), rule('r0', 'error', 'bad "x"')] } },
              { response: { policyKey: 'ns/p3', rules: [rule('e', 'error', '\u0000')] } },
            ],
          }),
        },
      },
    ],
    [
      'allowed with warnings and a patch',
      {
        request,
        loaded: { generation: 0 },
        answer: {
          response: {
            uid: 'u-1',
            allowed: true,
            warnings: ['w1', 'w2'],
            patch: [{ op: 'add', path: '/a', value: 1 }],
          },
          outcome: outcome({ responses: [{ response: { policyKey: 'k', rules: [rule('r', 'pass')] } }] }),
        },
      },
    ],
    [
      'a message that is not there',
      {
        request,
        answer: {
          response: { uid: 'u-1', allowed: false, status: { status: 'Failure' } },
          skipped: 'deadline',
        },
      },
    ],
  ];
  const durations = [0, 0.0004, 1.23456789, 12345.6785, 1e-7, 3e21];
  test('the members written directly are the JSON of the decision fields, byte for byte', () => {
    for (const [name, d] of decisions)
      for (const ms of durations) {
        const decision = { endpoint, ...d } as unknown as Decision;
        assert.equal(
          `{${decisionMembers(decision, ms)}}`,
          JSON.stringify(decisionFields(decision, ms)),
          `${name} ${ms}`,
        );
      }
  });

  test('a line of members is the line of the same fields', () => {
    const [name, d] = decisions[2] ?? ['', {}];
    const decision = { endpoint, ...d } as unknown as Decision;
    const out: string[] = [];
    const log = createLogger(
      (line) => out.push(line),
      () => at,
    );
    log.infoMembers?.('admission', decisionMembers(decision, 1.5));
    log.info('admission', decisionFields(decision, 1.5));
    log.infoMembers?.('m', '');
    log.info('m', {});
    assert.equal(out.length, 4, name);
    assert.equal(out[0], out[1]);
    assert.equal(out[2], out[3]);
  });
});

// Property: whatever body reaches an admission endpoint (random bytes, random JSON, review-shaped
// objects with wrong or hostile fields, deep nesting), the handler resolves to a well-formed HTTP
// answer: a known status, a JSON body, and for 200 an AdmissionReview echoing the request's UID.
// It never throws (#14 "hostile or malformed reviews get a 4xx or a denial, never a crash").
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import type { HttpReply } from './http.js';
import {
  appOf,
  clusterPolicy,
  pod,
  podRule,
  requireTeam,
  review,
  storeOf,
  validatingPolicy,
} from './testdata/reviews.js';

const store = storeOf(
  requireTeam('require-team', 'Enforce'),
  requireTeam('audit-team', 'Audit', { emitWarning: true }),
  clusterPolicy('add-owner', {
    rules: [
      {
        name: 'owner',
        match: { any: [{ resources: { kinds: ['Pod'] } }] },
        mutate: { patchStrategicMerge: { metadata: { labels: { owner: 'x' } } } },
      },
    ],
  }),
  validatingPolicy('no-latest', {
    validationActions: ['Deny'],
    matchConstraints: podRule(['CREATE', 'UPDATE', 'DELETE']),
    validations: [{ expression: "object.spec.containers.all(c, !c.image.endsWith(':latest'))" }],
  }),
);
const app = appOf(store, { maxBodyBytes: 64 * 1024, maxDepth: 64 });

const PATHS = [
  '/validate',
  '/validate/fail',
  '/validate/ignore',
  '/mutate/fail',
  '/mutate/ignore',
  '/validate/fail/finegrained/require-team',
  '/vpol/no-latest',
  '/vpol',
  '/mpol',
  '/gpol/x',
  '/ivpol/validate/x',
  '/nowhere',
  '/validate/fail?timeout=10s',
];
const STATUSES = new Set([200, 400, 404, 405, 413, 503]);

/** The reply is well-formed; for 200, an AdmissionReview answering `uid`. */
function check(reply: HttpReply, uid: unknown): void {
  assert.ok(STATUSES.has(reply.status), `status ${reply.status}`);
  const body = JSON.parse(reply.body) as Record<string, unknown>;
  if (reply.status !== 200) {
    assert.equal(body.kind, 'Status');
    return;
  }
  assert.equal(body.kind, 'AdmissionReview');
  const response = body.response as Record<string, unknown>;
  assert.equal(response.uid, uid);
  assert.equal(typeof response.allowed, 'boolean');
  if (response.allowed === false)
    assert.equal(typeof (response.status as { message?: unknown } | undefined)?.message, 'string');
  if (response.patch !== undefined) {
    assert.equal(response.patchType, 'JSONPatch');
    assert.ok(Array.isArray(JSON.parse(Buffer.from(String(response.patch), 'base64').toString('utf8'))));
  }
}

const path = fc.oneof(
  fc.constantFrom(...PATHS),
  fc.string({ maxLength: 40 }).map((s) => `/${s}`),
);
const method = fc.constantFrom('POST', 'POST', 'POST', 'GET', 'PUT');
const junk = fc.oneof(fc.jsonValue({ maxDepth: 4 }), fc.constant(undefined));

/** Mostly `right`, sometimes something random (`weight` in 10). */
const usually = <T>(right: fc.Arbitrary<T>, weight = 9) =>
  fc.oneof({ arbitrary: right, weight }, { arbitrary: junk as fc.Arbitrary<unknown>, weight: 10 - weight });

/**
 * Pod-like objects with random and hostile field values. The header fields (apiVersion, kind,
 * metadata) are decoded as typed (a wrong one is a 400), so they are usually right, for the rest to
 * reach the policies.
 */
const hostileObject = fc.record(
  {
    apiVersion: usually(fc.constant('v1')),
    kind: usually(fc.constant('Pod')),
    metadata: usually(
      fc.record(
        {
          name: usually(fc.string()),
          namespace: usually(fc.constantFrom('default', 'kube-system', '')),
          labels: usually(fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }))),
        },
        { requiredKeys: [] },
      ),
    ),
    spec: fc.oneof(
      fc.record({
        containers: fc.oneof(
          fc.array(
            fc.record(
              { name: fc.oneof(fc.string(), junk), image: fc.oneof(fc.string(), junk) },
              { requiredKeys: [] },
            ),
            { maxLength: 4 },
          ),
          junk,
        ),
      }),
      junk,
    ),
  },
  { requiredKeys: [] },
);

/** Mostly the right value, sometimes something random. */
const mostly = <T>(right: fc.Arbitrary<T>) =>
  fc.oneof({ arbitrary: right, weight: 9 }, { arbitrary: junk as fc.Arbitrary<unknown>, weight: 1 });

/** A review with every request field usually right, sometimes replaced by something random. */
const hostileReview = fc
  .record({
    uid: fc.oneof(fc.uuid(), fc.string(), junk),
    operation: mostly(fc.constantFrom('CREATE', 'UPDATE', 'DELETE', 'CONNECT')),
    kind: mostly(fc.constant({ group: '', version: 'v1', kind: 'Pod' })),
    resource: mostly(fc.constant({ group: '', version: 'v1', resource: 'pods' })),
    namespace: mostly(fc.constantFrom('default', 'kube-system')),
    userInfo: mostly(fc.constant({ username: 'alice', groups: ['system:authenticated'] })),
    object: mostly(hostileObject),
    oldObject: mostly(hostileObject),
    dryRun: mostly(fc.boolean()),
    subResource: mostly(fc.constantFrom('', 'status')),
  })
  .map((fields) => {
    const base = review(pod('p'));
    const request = { ...(base.request as object), ...fields };
    return { body: { ...base, request } as unknown, uid: fields.uid };
  });

/** JSON text nesting `depth` levels (built as text: JSON.stringify itself would overflow the stack). */
function nestedText(depth: number): string {
  let open = '';
  let close = '';
  for (let i = 0; i < depth; i++) {
    open += i % 2 === 0 ? '{"a":' : '[';
    close = (i % 2 === 0 ? '}' : ']') + close;
  }
  return `${open}"x"${close}`;
}

const PARAMS = { seed: 1414, numRuns: 300 } as const;

describe('hostile admission calls', () => {
  test('random bytes on any path', async () => {
    await fc.assert(
      fc.asyncProperty(path, method, fc.uint8Array({ maxLength: 512 }), async (p, m, bytes) => {
        check(await app.call(p, bytes, m), undefined);
      }),
      PARAMS,
    );
  });

  test('random JSON on the admission paths', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...PATHS), fc.jsonValue({ maxDepth: 6 }), async (p, body) => {
        check(await app.call(p, body), (body as { request?: { uid?: unknown } } | null)?.request?.uid);
      }),
      PARAMS,
    );
  });

  test('review-shaped bodies with wrong, missing and hostile fields', async () => {
    const seen = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...PATHS), hostileReview, async (p, r) => {
        const reply = await app.call(p, r.body);
        check(reply, r.uid);
        const kind =
          reply.status !== 200
            ? String(reply.status)
            : reply.decision?.answer.outcome
              ? 'evaluated'
              : 'skipped';
        seen.set(kind, (seen.get(kind) ?? 0) + 1);
      }),
      PARAMS,
    );
    // The generator reaches the policies as well as the decoder's refusals.
    for (const kind of ['400', 'evaluated'])
      assert.ok((seen.get(kind) ?? 0) > 30, `${kind}: ${JSON.stringify([...seen])}`);
  });

  test('deep nesting and oversize bodies', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 20_000 }), fc.constantFrom(...PATHS), async (depth, p) => {
        const text = JSON.stringify(review({ ...pod('p', 'default', { team: 't' }), deep: 'DEEP' }));
        const body = text.replace('"DEEP"', nestedText(depth));
        check(await app.call(p, body), 'b7d7c7e4-0000-4000-8000-000000000001');
      }),
      { ...PARAMS, numRuns: 60 },
    );
  });
});

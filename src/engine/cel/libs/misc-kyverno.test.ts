import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileCel } from '../compile.js';

// user, json-yaml, hash, random, list-obj-to-map, time and optional helpers.
const run = (expr: string) =>
  compileCel(expr, { variables: [], kind: 'validating' }).evaluate({}, { ports: {} });

const cases: [string, unknown][] = [
  ['user.parseServiceAccount("system:serviceaccount:ns:sa")', { namespace: 'ns', name: 'sa' }],
  ['parseServiceAccount("alice").name', ''],
  ['json.unmarshal("{\\"a\\": [1, 2]}").a[1]', 2],
  ['json.marshal({"a": 1})', '{"a":1}'],
  ['yaml.parse("a: b\\nc: 2").c', 2],
  ['sha256("abc")', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
  ['hash.md5("abc")', '900150983cd24fb0d6963f7d28e17f72'],
  ['sha1("abc")', 'a9993e364706816aba3e25717850c26c9cd0d89d'],
  ['random("[0-9]{4}").matches("^[0-9]{4}$")', true],
  ['random().size()', 8],
  ['listObjToMap([{"k": "a"}, {"k": "b"}], [{"v": 1}, {"v": 2}], "k", "v")', { a: 1, b: 2 }],
  ['time.truncate(timestamp("2024-01-01T10:37:12Z"), duration("1h"))', '2024-01-01T10:00:00Z'],
  // Go truncates from the zero time (a Monday), not from the Unix epoch (a Thursday).
  ['time.truncate(timestamp("2024-01-04T12:00:00Z"), duration("168h"))', '2024-01-01T00:00:00Z'],
  ['time.toCron(timestamp("2024-03-05T10:37:12Z"))', '37 10 5 3 2'],
  ['optional.ofNonZeroValue("").hasValue()', false],
  ['optional.ofNonZeroValue([1]).value()', [1]],
];
for (const [expr, want] of cases) test(expr, () => assert.deepEqual(run(expr), want));

test('x509.decode rejects what is not PEM', () => assert.throws(() => run('x509.decode("nope")'), /PEM/));
test('the authorizer stub has no opinion', () => {
  const p = compileCel(
    'authorizer.group("apps").resource("deployments").namespace("ns").check("create").allowed()',
    {
      variables: ['authorizer'],
      kind: 'vap',
    },
  );
  return import('./authz.js').then(({ CelAuthorizer }) =>
    assert.equal(p.evaluate({ authorizer: new CelAuthorizer('u') }, { ports: {} }), false),
  );
});

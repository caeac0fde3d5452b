import assert from 'node:assert/strict';
import { test } from 'node:test';
import { arithmeticFunctions, goFormatV } from './arithmetic.js';

function call(name: string, ...args: unknown[]): unknown {
  const entry = arithmeticFunctions.find((e) => e.name === name);
  assert.ok(entry, `no function ${name}`);
  return entry.impl(args, {});
}

const cases: ReadonlyArray<readonly [string, readonly unknown[], unknown]> = [
  // kyverno.io docs examples
  ['subtract', ['10Mi', '5Ki'], '10235Ki'],
  ['divide', ['10Mi', '5Ki'], 2048],
  ['sum', [['2Ki', '5Gi', '8Mi']], '5251074Ki'],
  ['sum', [['2h', '50s', '90s']], '2h2m20s'],
  ['sum', [[6, 3, 8]], 17],
  ['round', [10.125, 2], 10.13],
  ['round', [10.123456, 2], 10.12],
  ['modulo', [10, 3], 1],
  ['multiply', [3, 2], 6],
  // add / subtract: same kind only
  ['add', [1, 2], 3],
  ['add', ['1Gi', '512Mi'], '1536Mi'],
  ['add', ['100m', '200m'], '300m'],
  ['add', ['0', '1Ki'], '1Ki'],
  ['add', ['1', '2'], '3'],
  ['add', ['1h', '30m0s'], '1h30m0s'],
  ['add', ['1.5s', '500ms'], '2s'],
  ['subtract', [10, 3], 7],
  ['subtract', ['2Gi', '1Gi'], '1Gi'],
  ['subtract', ['1h', '2h'], '-1h0m0s'],
  ['subtract', ['1', '1500m'], '-500m'],
  // multiply
  ['multiply', ['2Gi', 2.5], '5Gi'],
  ['multiply', [2, '1Gi'], '2Gi'],
  ['multiply', ['100m', 3], '300m'],
  ['multiply', ['1h30m', 2], '3h0m0s'],
  ['multiply', [0.5, '1h'], '30m0s'],
  ['multiply', [1.5, 2], 3],
  // divide
  ['divide', ['1h', '30m0s'], 2],
  ['divide', ['1h', 2], '30m0s'],
  ['divide', ['1Gi', 2], '512Mi'],
  ['divide', ['10Mi', 3], '3495253'],
  ['divide', ['1', 3], '0'],
  ['divide', ['1.5', 2], '700m'],
  ['divide', ['300m', 2], '150m'],
  ['divide', [10, 4], 2.5],
  ['divide', ['3Gi', '1Gi'], 3],
  // modulo
  ['modulo', ['10Mi', '3Mi'], '1Mi'],
  ['modulo', ['10', '4'], '2'],
  ['modulo', ['1h', '25m0s'], '10m0s'],
  ['modulo', [-7, 3], -1],
  // round
  ['round', [1.5, 0], 2],
  ['round', [-2.5, 0], -3],
  ['round', [0.49999999999999994, 0], 0],
];

for (const [name, args, expected] of cases) {
  test(`${name}(${JSON.stringify(args).slice(1, -1)}) = ${JSON.stringify(expected)}`, () => {
    assert.deepEqual(call(name, ...args), expected);
  });
}

const errors: ReadonlyArray<readonly [string, readonly unknown[], string]> = [
  ['add', ['1h', 5], "JMESPath function 'add': Types mismatch"],
  ['add', ['1Gi', '1h'], "JMESPath function 'add': Types mismatch"],
  ['add', [5, '5'], "JMESPath function 'add': Types mismatch"],
  ['add', ['hello', 1], "JMESPath function 'add': invalid operands"],
  ['add', [null, 1], "JMESPath function 'add': invalid operands"],
  ['subtract', [1, '1h'], "JMESPath function 'subtract': Types mismatch"],
  ['multiply', ['1Gi', '1Gi'], "JMESPath function 'multiply': Types mismatch"],
  ['multiply', ['1h', '1Gi'], "JMESPath function 'multiply': Types mismatch"],
  ['multiply', ['1h', '1h'], "JMESPath function 'multiply': Types mismatch"],
  ['divide', [10, 0], "JMESPath function 'divide': Zero divisor passed"],
  ['divide', ['1Gi', '0'], "JMESPath function 'divide': Zero divisor passed"],
  ['divide', ['1Gi', 0], "JMESPath function 'divide': Zero divisor passed"],
  ['divide', ['1h', '0s'], "JMESPath function 'divide': Zero divisor passed"],
  ['divide', [4, '1h'], "JMESPath function 'divide': Types mismatch"],
  ['divide', [4, '1Gi'], "JMESPath function 'divide': Types mismatch"],
  ['divide', ['1Gi', '1h'], "JMESPath function 'divide': Types mismatch"],
  ['modulo', [5.5, 2], "JMESPath function 'modulo': Non-integer argument(s) passed for modulo"],
  ['modulo', ['1500m', '1'], "JMESPath function 'modulo': Non-integer argument(s) passed for modulo"],
  ['modulo', [5, 0], "JMESPath function 'modulo': Zero divisor passed"],
  ['modulo', ['1h', '0s'], "JMESPath function 'modulo': Zero divisor passed"],
  ['modulo', ['1h', 2], "JMESPath function 'modulo': Types mismatch"],
  // "30m" is 30 milli-units (a quantity), not 30 minutes
  ['divide', ['1h', '30m'], "JMESPath function 'divide': Types mismatch"],
  ['sum', [[]], "JMESPath function 'sum': at least one element in the array is required"],
  ['sum', [['1Gi', 1]], "JMESPath function 'sum': Types mismatch"],
  ['round', [1.25, 1.5], "JMESPath function 'round': Non-integer argument(s) passed for round off"],
  ['round', [1.25, -1], "JMESPath function 'round': 2 argument is out of bounds (-1)"],
];

for (const [name, args, message] of errors) {
  test(`${name}(${JSON.stringify(args).slice(1, -1)}) fails`, () => {
    assert.throws(() => call(name, ...args), { message });
  });
}

const formats: ReadonlyArray<readonly [number, string]> = [
  [2.5, '2.5'],
  [100000, '100000'],
  [1000000, '1e+06'],
  [1234567, '1.234567e+06'],
  [0.0001, '0.0001'],
  [0.00001, '1e-05'],
  [-3, '-3'],
];
for (const [n, s] of formats) {
  test(`goFormatV(${n}) = ${s}`, () => assert.equal(goFormatV(n), s));
}

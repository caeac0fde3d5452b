// kyverno.io/docs/writing-policies/variables ("Variables from policy definitions", "Escaping
// Variables") and Kyverno vars.go substituteReferences (kyverno-reference §2.5).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { VariableSubstitutionError } from './errors.js';
import { substituteReferences } from './references.js';

describe('substituteReferences', () => {
  test('docs: livenessProbe port references readinessProbe port through an anchor', () => {
    const pattern = {
      spec: {
        '^(containers)': [
          {
            livenessProbe: { tcpSocket: { port: '$(./../../../readinessProbe/tcpSocket/port)' } },
            readinessProbe: { tcpSocket: { port: '3000' } },
          },
        ],
      },
    };
    const out = substituteReferences(pattern) as typeof pattern;
    assert.equal(out.spec['^(containers)'][0]?.livenessProbe.tcpSocket.port, '3000');
  });

  test('operator prefix with a numeric target uses %f', () => {
    const out = substituteReferences({ a: { min: 3000, max: '$(<./../min)' } });
    assert.deepEqual(out, { a: { min: 3000, max: '<3000.000000' } });
  });

  test('operator prefix with a string target', () => {
    assert.deepEqual(substituteReferences({ lo: '10', hi: '$(>=./../lo)' }), { lo: '10', hi: '>=10' });
  });

  test('absolute reference', () => {
    assert.deepEqual(substituteReferences({ name: 'rule-x', v: 'applied=$(/name)' }), {
      name: 'rule-x',
      v: 'applied=rule-x',
    });
  });

  test('escaped reference is unescaped and not resolved (docs OTEL example)', () => {
    assert.deepEqual(substituteReferences({ value: 'k8s.pod.name=\\$(POD_NAME)' }), {
      value: 'k8s.pod.name=$(POD_NAME)',
    });
  });

  test('a non-string target without operator is an error', () => {
    assert.throws(
      () => substituteReferences({ n: 5, v: '$(./../n)' }),
      (e: unknown) =>
        e instanceof VariableSubstitutionError &&
        e.message === 'NotResolvedReferenceErr,reference $(./../n) not resolved at path /v',
    );
  });

  test('a missing target is an error', () => {
    assert.throws(() => substituteReferences({ v: '$(./nothing)' }), VariableSubstitutionError);
  });

  test('with share, a pattern without references is given back as it is; otherwise a copy', () => {
    const plain = { a: { b: 'x' }, c: ['{{ not a reference }}'] };
    assert.equal(substituteReferences(plain, undefined, { share: true }), plain);
    assert.notEqual(substituteReferences(plain), plain);
    assert.deepEqual(substituteReferences(plain), plain);
    const withRef = { a: 'x', b: '$(./../a)' };
    assert.deepEqual(substituteReferences(withRef, undefined, { share: true }), { a: 'x', b: 'x' });
  });
});

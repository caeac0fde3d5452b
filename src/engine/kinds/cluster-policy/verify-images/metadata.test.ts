// The verification records written to objects (Kyverno imageverifymetadata.go) and read back by the
// `required` check.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { KubeObject } from '../../../model/kube-object.js';
import {
  ImageVerificationMetadata,
  scopedVerificationStatus,
  VERIFY_IMAGES_ANNOTATION,
  VERIFY_IMAGES_SCOPED_ANNOTATION,
} from './metadata.js';

const object: KubeObject = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', annotations: { a: 'b' } },
};

describe('image verification metadata', () => {
  test('annotations keep the others, sort keys as Go does and scope by policy and rule', () => {
    const m = new ImageVerificationMetadata();
    m.add('ghcr.io/b:1', 'fail');
    m.add('ghcr.io/a:1', 'pass');
    m.addScoped('', 'pol', 'rule', 'ghcr.io/a:1', 'pass');
    const annotations = m.annotate(object).metadata?.annotations ?? {};
    assert.equal(annotations.a, 'b');
    assert.equal(annotations[VERIFY_IMAGES_ANNOTATION], '{"ghcr.io/a:1":"pass","ghcr.io/b:1":"fail"}');
    assert.equal(
      annotations[VERIFY_IMAGES_SCOPED_ANNOTATION],
      '{"version":1,"policies":{"/pol":{"rule":{"ghcr.io/a:1":"pass"}}}}',
    );
  });

  test('a second policy adds to what the first recorded', () => {
    const first = new ImageVerificationMetadata();
    first.add('ghcr.io/a:1', 'pass');
    first.addScoped('', 'one', 'r', 'ghcr.io/a:1', 'pass');
    const second = new ImageVerificationMetadata();
    second.add('ghcr.io/b:1', 'skip');
    second.addScoped('ns', 'two', 'r', 'ghcr.io/b:1', 'skip');
    const both = second.annotate(first.annotate(object));
    assert.equal(scopedVerificationStatus(both, '', 'one', 'r', 'ghcr.io/a:1'), 'pass');
    assert.equal(scopedVerificationStatus(both, 'ns', 'two', 'r', 'ghcr.io/b:1'), 'skip');
    assert.equal(
      both.metadata?.annotations?.[VERIFY_IMAGES_ANNOTATION],
      '{"ghcr.io/a:1":"pass","ghcr.io/b:1":"skip"}',
    );
  });

  test('required reads fail for a missing annotation, policy, rule or image', () => {
    assert.equal(scopedVerificationStatus(object, '', 'pol', 'rule', 'x'), 'fail');
    const legacy = {
      ...object,
      metadata: { annotations: { [VERIFY_IMAGES_SCOPED_ANNOTATION]: '{"x":"pass"}' } },
    };
    assert.equal(scopedVerificationStatus(legacy, '', 'pol', 'rule', 'x'), 'fail');
  });

  test('an annotation that is not JSON is an error', () => {
    const bad = { ...object, metadata: { annotations: { [VERIFY_IMAGES_SCOPED_ANNOTATION]: '{' } } };
    assert.throws(
      () => scopedVerificationStatus(bad, '', 'p', 'r', 'x'),
      /failed to parse scoped image metadata/,
    );
  });
});

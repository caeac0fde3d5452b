// Metadata wildcard keys expand to the first resource key they match among string-valued entries.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { expandMetadataWildcards } from './wildcard-keys.js';

const pattern = { metadata: { labels: { 'app.kubernetes.io/*': '?*' } }, spec: {} };

describe('expandMetadataWildcards', () => {
  test('a wildcard key becomes the first matching resource key; the rest of the pattern is kept', () => {
    const resource = {
      metadata: { labels: { team: 'a', 'app.kubernetes.io/name': 'web', 'app.kubernetes.io/x': 'y' } },
    };
    assert.deepEqual(expandMetadataWildcards(pattern, resource), {
      metadata: { labels: { 'app.kubernetes.io/name': '?*' } },
      spec: {},
    });
  });

  test('resource entries that are not strings, and __proto__, are never matched', () => {
    const resource = JSON.parse(
      '{"metadata":{"labels":{"__proto__":"p","app.kubernetes.io/n":1,"app.kubernetes.io/s":"v"}}}',
    );
    const wildcardAll = { metadata: { labels: { '*': 'x' } } };
    assert.deepEqual(expandMetadataWildcards(wildcardAll, resource), {
      metadata: { labels: { 'app.kubernetes.io/s': 'x' } },
    });
    assert.deepEqual(expandMetadataWildcards(pattern, resource), {
      metadata: { labels: { 'app.kubernetes.io/s': '?*' } },
      spec: {},
    });
  });

  test('no match keeps the wildcard key; no resource labels keep the pattern itself', () => {
    assert.deepEqual(expandMetadataWildcards(pattern, { metadata: { labels: { a: 'b' } } }), pattern);
    assert.equal(expandMetadataWildcards(pattern, { metadata: {} }), pattern);
  });
});

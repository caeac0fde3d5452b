import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type CatalogueEntry, searchCatalogue } from './catalogue.js';

const entry = (id: string, title: string, category: string): CatalogueEntry => ({
  id,
  title,
  category,
  kind: 'ClusterPolicy',
  policies: '',
  resources: '',
});
const ENTRIES = [
  entry('best-practices/disallow-latest-tag', 'Disallow Latest Tag', 'Best Practices'),
  entry(
    'pod-security/baseline/disallow-privileged-containers',
    'Disallow Privileged Containers',
    'Pod Security Standards (Baseline)',
  ),
  entry('other/require-labels', 'Require Labels', 'Other'),
];

test('the catalogue is searched by every word in title, category or path', () => {
  const ids = (q: string, c = '') => searchCatalogue(ENTRIES, q, c).map((e) => e.id);
  assert.deepEqual(ids('latest'), ['best-practices/disallow-latest-tag']);
  assert.deepEqual(ids('DISALLOW'), [
    'best-practices/disallow-latest-tag',
    'pod-security/baseline/disallow-privileged-containers',
  ]);
  assert.deepEqual(ids('pod security privileged'), ['pod-security/baseline/disallow-privileged-containers']);
  assert.deepEqual(ids('', 'Other'), ['other/require-labels']);
  assert.deepEqual(ids('latest', 'Other'), []);
  assert.equal(ids('').length, 3);
});

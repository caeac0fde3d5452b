import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { LabelSelector } from '../model/kube-object.js';
import { labelSelectorMatches } from './label-selector.js';

const two = { 'test.io/scale': 'foo', 'test.io/functional': 'bar' };
// Kyverno pkg/utils/match/labels_test.go TestCheckSelector (an error counts as no match).
const cases: { name: string; selector: LabelSelector; labels: Record<string, string>; want: boolean }[] = [
  { name: 'empty selector, no labels', selector: {}, labels: {}, want: true },
  { name: 'empty selector matches everything', selector: {}, labels: { foo: 'bar' }, want: true },
  {
    name: 'wildcard key absent',
    selector: { matchLabels: { 'test.io/*': 'bar' } },
    labels: { foo: 'bar' },
    want: false,
  },
  {
    name: 'wildcard key absent (dotted prefix)',
    selector: { matchLabels: { 'scale.test.io/*': 'bar' } },
    labels: { foo: 'bar' },
    want: false,
  },
  {
    name: 'wildcard key with exact value',
    selector: { matchLabels: { 'test.io/*': 'bar' } },
    labels: two,
    want: true,
  },
  {
    name: 'wildcard key and value',
    selector: { matchLabels: { 'test.io/*': '*' } },
    labels: two,
    want: true,
  },
  {
    name: 'wildcard value mismatch',
    selector: { matchLabels: { 'test.io/*': 'a*' } },
    labels: two,
    want: false,
  },
  { name: '? wildcards', selector: { matchLabels: { 'test.io/scale': 'f??' } }, labels: two, want: true },
  { name: '*: * with labels', selector: { matchLabels: { '*': '*' } }, labels: two, want: true },
  {
    name: 'exact mismatch',
    selector: { matchLabels: { 'test.io/functional': 'foo' } },
    labels: two,
    want: false,
  },
  { name: '*: * does not match no labels', selector: { matchLabels: { '*': '*' } }, labels: {}, want: false },
  {
    name: 'invalid key is an error',
    selector: { matchLabels: { 'abc/def/ghi': '*' } },
    labels: {},
    want: false,
  },
  {
    name: 'In',
    selector: { matchExpressions: [{ key: 'env', operator: 'In', values: ['prod', 'staging'] }] },
    labels: { env: 'prod' },
    want: true,
  },
  {
    name: 'In without the key',
    selector: { matchExpressions: [{ key: 'env', operator: 'In', values: ['prod'] }] },
    labels: {},
    want: false,
  },
  {
    name: 'NotIn passes when key absent',
    selector: { matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['prod'] }] },
    labels: {},
    want: true,
  },
  {
    name: 'NotIn fails on listed value',
    selector: { matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['prod'] }] },
    labels: { env: 'prod' },
    want: false,
  },
  {
    name: 'Exists',
    selector: { matchExpressions: [{ key: 'team', operator: 'Exists' }] },
    labels: { team: '' },
    want: true,
  },
  {
    name: 'DoesNotExist',
    selector: { matchExpressions: [{ key: 'team', operator: 'DoesNotExist' }] },
    labels: { team: 'a' },
    want: false,
  },
  {
    name: 'In with no values is invalid',
    selector: { matchExpressions: [{ key: 'env', operator: 'In', values: [] }] },
    labels: { env: 'x' },
    want: false,
  },
  {
    name: 'matchLabels AND matchExpressions',
    selector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'env', operator: 'Exists' }] },
    labels: { app: 'web' },
    want: false,
  },
];

describe('labelSelectorMatches', () => {
  for (const c of cases) test(c.name, () => assert.equal(labelSelectorMatches(c.selector, c.labels), c.want));
});

// The `images` variable: entries for the same image text are parsed once and shared between
// resources (with the default options), and must be what parsing gives each time.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseImageReference, parseImageReferenceDetailed } from '../units/image-reference.js';
import { extractImages, imagesError } from './images.js';

const pod = (
  containers: { name: string; image: string }[],
  init: { name: string; image: string }[] = [],
) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p' },
  spec: { containers, ...(init.length > 0 ? { initContainers: init } : {}) },
});

function fresh(image: string, options = {}): Record<string, string> | undefined {
  const info = parseImageReference(image, options);
  if (!info) return undefined;
  const entry: Record<string, string> = {};
  for (const [k, v] of Object.entries(info)) if (typeof v === 'string' && v !== '') entry[k] = v;
  entry.name = info.name ?? '';
  entry.path = info.path ?? '';
  return entry;
}

const images = [
  'nginx',
  'nginx:1.25',
  'ghcr.io/org/app@sha256:' + 'a'.repeat(64),
  'localhost:5000/x/y:tag',
  'UPPER/case',
  'bad image',
  '',
];

describe('extractImages', () => {
  test('each entry is the parsed reference, on first and later reads, invalid images left out', () => {
    for (let round = 0; round < 2; round++)
      for (const image of images) {
        const out = extractImages(pod([{ name: 'c', image }]));
        const want = fresh(image);
        assert.deepEqual(out, want === undefined ? undefined : { containers: { c: want } }, image);
      }
  });

  test('resources with the same image share the entry; the maps around it are their own', () => {
    const a = extractImages(pod([{ name: 'c', image: 'nginx:1.25' }]));
    const b = extractImages(pod([{ name: 'c', image: 'nginx:1.25' }], [{ name: 'i', image: 'busybox' }]));
    assert.ok(a && b);
    assert.equal(a.containers?.c, b.containers?.c);
    assert.notEqual(a.containers, b.containers);
    assert.deepEqual(b.initContainers, { i: fresh('busybox') });
  });

  test('options are honoured (not answered from the default entries)', () => {
    extractImages(pod([{ name: 'c', image: 'nginx' }]));
    const options = { defaultRegistry: 'registry.example', mutateDefaultRegistry: false };
    const out = extractImages(pod([{ name: 'c', image: 'nginx' }]), options);
    assert.deepEqual(out, { containers: { c: fresh('nginx', options) } });
    assert.notDeepEqual(out?.containers?.c, fresh('nginx'));
  });

  test('more distinct images than are kept: still parsed right', () => {
    for (let i = 0; i < 1100; i++) {
      const image = `r.example/app${i}:v${i}`;
      assert.deepEqual(extractImages(pod([{ name: 'c', image }]))?.containers?.c, fresh(image));
    }
  });
});

/** imagesError's text for one image, parsed afresh. */
function freshError(image: string, options = {}): string | undefined {
  if (image.trim() === '') return undefined;
  const parsed = parseImageReferenceDetailed(image, options);
  return parsed.ok ? undefined : `invalid image '${image}' (${parsed.error})`;
}

describe('imagesError', () => {
  test('is what parsing each image gives, on first and later reads, with and without options', () => {
    const options = { defaultRegistry: 'registry.example', mutateDefaultRegistry: false };
    const all = [...images, 'a:b:c', 'Bad/Case:tag', 'x@sha256:short', 'registry.example/ok'];
    for (let round = 0; round < 2; round++)
      for (const image of all) {
        assert.equal(imagesError(pod([{ name: 'c', image }])), freshError(image), image);
        assert.equal(imagesError(pod([{ name: 'c', image }]), options), freshError(image, options), image);
      }
    assert.ok(all.some((i) => freshError(i) !== undefined) && all.some((i) => freshError(i) === undefined));
  });

  test('more distinct images than are kept: still answered right', () => {
    for (let i = 0; i < 1100; i++) {
      const image = i % 2 === 0 ? `r.example/app${i}:v${i}` : `r.example/App${i}`;
      assert.equal(imagesError(pod([{ name: 'c', image }])), freshError(image), image);
    }
  });
});

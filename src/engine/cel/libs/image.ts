/**
 * @module Kyverno's `image` library: `image(ref)` / `parseImageReference(ref)` → Image with
 * registry/repository/identifier/tag/digest/containsDigest, `isImage(ref)`. Registry metadata
 * (`image.GetMetadata`) needs network access and is refused offline.
 */
import {
  type ImageInfo,
  parseImageReference,
  parseImageReferenceDetailed,
} from '../../units/image-reference.js';
import { CelEvalError } from '../errors.js';
import { type CelLibrary, namespaceLibraryParts } from './types.js';

export class CelImage {
  readonly info: ImageInfo;
  constructor(info: ImageInfo) {
    this.info = info;
  }
  toString(): string {
    return this.info.reference;
  }
}

function image(ref: string): CelImage {
  const r = parseImageReferenceDetailed(ref);
  if (!r.ok) throw new CelEvalError(r.error);
  return new CelImage(r.info);
}

export function imageLibrary(): CelLibrary {
  const ns = namespaceLibraryParts('ImageNamespace', 'image');
  return {
    name: 'image',
    types: [...ns.types, { name: 'kyverno.Image', ctor: CelImage }],
    constants: ns.constants,
    functions: [
      { signature: 'image(string): kyverno.Image', impl: image },
      { signature: 'parseImageReference(string): kyverno.Image', impl: image },
      { signature: 'isImage(string): bool', impl: (s: string) => parseImageReference(s) !== undefined },
      { signature: 'kyverno.Image.registry(): string', impl: (i: CelImage) => i.info.registry },
      { signature: 'kyverno.Image.repository(): string', impl: (i: CelImage) => i.info.path },
      {
        signature: 'kyverno.Image.identifier(): string',
        impl: (i: CelImage) => (i.info.digest !== '' ? i.info.digest : i.info.tag),
      },
      { signature: 'kyverno.Image.tag(): string', impl: (i: CelImage) => i.info.tag },
      { signature: 'kyverno.Image.digest(): string', impl: (i: CelImage) => i.info.digest },
      { signature: 'kyverno.Image.containsDigest(): bool', impl: (i: CelImage) => i.info.digest !== '' },
      { signature: 'string(kyverno.Image): string', impl: (i: CelImage) => i.toString() },
      {
        signature: 'ImageNamespace.GetMetadata(string): map<string, dyn>',
        impl: () => {
          throw new CelEvalError('image.GetMetadata needs registry access, which is not available');
        },
      },
    ],
  };
}

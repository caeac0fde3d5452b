/**
 * @module Kyverno's `image` library: `image(ref)` / `parseImageReference(ref)` → Image with
 * registry/repository/identifier/tag/digest/containsDigest, `isImage(ref)`, and registry metadata
 * `image.GetMetadata(ref)` through the ImageDataReader port (refused when no port is given).
 */
import {
  type ImageInfo,
  parseImageReference,
  parseImageReferenceDetailed,
} from '../../units/image-reference.js';
import { CelEvalError } from '../errors.js';
import { toCel } from '../values.js';
import { type CelLibrary, type CelLibraryContext, contextVariable } from './types.js';

/** `image`: bound per evaluation, with the evaluation's ImageDataReader port. */
export const imageContext = contextVariable('ImageNamespace', 'image');

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

function getMetadata(c: CelLibraryContext, ref: string): unknown {
  const reader = c.runtime.ports.imageData;
  if (reader === undefined)
    throw new CelEvalError('image.GetMetadata needs registry access, which is not available');
  const answer = reader.get(ref);
  if (!answer.ok) throw new CelEvalError(`failed to get image data: ${answer.error}`);
  return toCel(answer.data);
}

export function imageLibrary(): CelLibrary {
  return {
    name: 'image',
    types: [
      { name: imageContext.type, ctor: imageContext.ctor },
      { name: 'kyverno.Image', ctor: CelImage },
    ],
    variables: [imageContext],
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
        signature: 'ImageNamespace.GetMetadata(string): dyn',
        impl: (c: CelLibraryContext, ref: string) => getMetadata(c, ref),
      },
    ],
  };
}

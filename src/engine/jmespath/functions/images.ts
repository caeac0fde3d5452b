/** @module image_normalize: the canonical image string, parsed like the `images` variable. */
import { type ImageReferenceOptions, parseImageReferenceDetailed } from '../../units/image-reference.js';
import { fail } from './function-errors.js';
import type { FunctionEntry } from './types.js';

/** Builds the entry for a given Kyverno configuration (`defaultRegistry`, `enableDefaultRegistryMutation`). */
export function imageNormalizeEntry(options: ImageReferenceOptions = {}): FunctionEntry {
  return {
    name: 'image_normalize',
    args: [{ types: ['string'] }],
    returns: ['string'],
    note: 'normalizes an image reference',
    impl: ([image]) => {
      const result = parseImageReferenceDetailed(image as string, options);
      return result.ok ? result.info.reference : fail('image_normalize', result.error);
    },
  };
}

/** With Kyverno's defaults: registry `docker.io`, registry mutation enabled. */
export const imageFunctions: readonly FunctionEntry[] = [imageNormalizeEntry()];

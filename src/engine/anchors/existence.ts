/**
 * @module Existence anchor `^(key): [ {..}, ... ]` — when the key is present its value must be a list,
 * and every map of the pattern list must be matched by at least one element of it. An absent key
 * passes. Kyverno: `existenceHandler`, `validateExistenceListResource`.
 */

import { type ElementResult, failure } from '../pattern/failure.js';
import { sprintType } from '../primitives/go-sprint.js';
import type { AnchorInput } from './handler.js';
import { hasKey, isPlainMap } from './handler.js';

export function validateExistenceAnchor(input: AnchorInput): ElementResult {
  if (!hasKey(input.resource, input.key)) return undefined;
  const currentPath = `${input.path}${input.key}/`;
  const value = input.resource[input.key] ?? null;
  if (!Array.isArray(value)) {
    return failure(
      currentPath,
      `invalid resource type ${sprintType(value, 'int64-if-integral')}: Existence ^ () anchor can be used only on list/array type resource`,
    );
  }
  if (!Array.isArray(input.pattern)) {
    return failure(
      currentPath,
      `invalid pattern type ${sprintType(input.pattern)}: Pattern has to be of list to compare against resource`,
    );
  }
  for (const patternItem of input.pattern) {
    if (!isPlainMap(patternItem)) {
      return failure(
        currentPath,
        `invalid pattern type ${sprintType(input.pattern)}: Pattern has to be of type map to compare against items in resource`,
      );
    }
    const matched = value.some(
      (element, i) => input.validate(element, patternItem, `${currentPath}${i}/`) === undefined,
    );
    if (!matched) return failure(currentPath, `existence anchor validation failed at path ${currentPath}`);
  }
  return undefined;
}

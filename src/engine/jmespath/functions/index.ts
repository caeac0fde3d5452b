/** @module Kyverno's custom JMESPath functions, one file per family, gathered into one table. */
import { arithmeticFunctions } from './arithmetic.js';
import { encodingFunctions } from './encoding.js';
import { hashFunctions } from './hashes.js';
import { imageFunctions } from './images.js';
import { networkFunctions } from './network.js';
import { objectFunctions } from './objects.js';
import { pathFunctions } from './paths.js';
import { randomFunctions } from './random.js';
import { regexFunctions } from './regex.js';
import { semverFunctions } from './semver.js';
import { stringFunctions } from './strings.js';
import { timeFunctions } from './time.js';
import type { FunctionEntry } from './types.js';
import { x509Functions } from './x509.js';

export { imageNormalizeEntry } from './images.js';

export const kyvernoFunctions: readonly FunctionEntry[] = [
  ...stringFunctions,
  ...regexFunctions,
  ...arithmeticFunctions,
  ...encodingFunctions,
  ...hashFunctions,
  ...objectFunctions,
  ...pathFunctions,
  ...semverFunctions,
  ...timeFunctions,
  ...imageFunctions,
  ...x509Functions,
  ...networkFunctions,
  ...randomFunctions,
];

/** @module semver_compare(version, range): blang/semver range check; an unparsable version counts as 0.0.0. */
import { fail } from './function-errors.js';
import { parseSemverRange, parseStrictSemver } from './semver-range.js';
import type { FunctionEntry } from './types.js';

const ZERO = { major: 0, minor: 0, patch: 0, prerelease: [] } as const;

export const semverFunctions: readonly FunctionEntry[] = [
  {
    name: 'semver_compare',
    args: [{ types: ['string'] }, { types: ['string'] }],
    returns: ['boolean'],
    note: 'compares two strings which comply with the semantic versioning schema and outputs a boolean response as to the position of the second relative to the first',
    impl: ([version, range]) => {
      const v = parseStrictSemver(version as string) ?? ZERO;
      let matches: ReturnType<typeof parseSemverRange>;
      try {
        matches = parseSemverRange(range as string);
      } catch (e) {
        return fail('semver_compare', e instanceof Error ? e.message : String(e));
      }
      return matches(v);
    },
  },
];

/** @module Kubernetes' semver library: `semver("1.2.3")`, `isSemver`, major/minor/patch and comparisons. */
import { compareSemver, parseSemver, type SemVer } from '../../units/semver.js';
import { CelEvalError } from '../errors.js';
import type { CelLibrary } from './types.js';

export class CelSemver {
  readonly v: SemVer;
  constructor(v: SemVer) {
    this.v = v;
  }
  toString(): string {
    const pre = this.v.prerelease.length > 0 ? `-${this.v.prerelease.join('.')}` : '';
    return `${this.v.major}.${this.v.minor}.${this.v.patch}${pre}`;
  }
}

/** `normalize` accepts a `v` prefix, missing minor/patch and leading zeros, as Kubernetes does. */
function parse(s: string, normalize: boolean): SemVer | undefined {
  let text = s;
  if (normalize) {
    text = text.replace(/^v/, '');
    const m = /^(\d+)(?:\.(\d+))?(?:\.(\d+))?(.*)$/.exec(text);
    if (m) text = `${BigInt(m[1] ?? '0')}.${BigInt(m[2] ?? '0')}.${BigInt(m[3] ?? '0')}${m[4] ?? ''}`;
  } else if (text.startsWith('v')) return undefined;
  return parseSemver(text);
}

function semver(s: string, normalize: boolean): CelSemver {
  const v = parse(s, normalize);
  if (v === undefined) throw new CelEvalError(`string '${s}' is not a valid semver`);
  return new CelSemver(v);
}

const cmp = (a: CelSemver, b: CelSemver) => compareSemver(a.v, b.v);

export function semverLibrary(): CelLibrary {
  return {
    name: 'semver',
    types: [{ name: 'kubernetes.Semver', ctor: CelSemver }],
    operators: [
      {
        signature: 'kubernetes.Semver == kubernetes.Semver',
        impl: (a: CelSemver, b: CelSemver) => cmp(a, b) === 0,
      },
    ],
    functions: [
      { signature: 'semver(string): kubernetes.Semver', impl: (s: string) => semver(s, false) },
      { signature: 'semver(string, bool): kubernetes.Semver', impl: semver },
      { signature: 'isSemver(string): bool', impl: (s: string) => parse(s, false) !== undefined },
      {
        signature: 'isSemver(string, bool): bool',
        impl: (s: string, n: boolean) => parse(s, n) !== undefined,
      },
      { signature: 'kubernetes.Semver.major(): int', impl: (x: CelSemver) => BigInt(x.v.major) },
      { signature: 'kubernetes.Semver.minor(): int', impl: (x: CelSemver) => BigInt(x.v.minor) },
      { signature: 'kubernetes.Semver.patch(): int', impl: (x: CelSemver) => BigInt(x.v.patch) },
      {
        signature: 'kubernetes.Semver.isGreaterThan(kubernetes.Semver): bool',
        impl: (a: CelSemver, b: CelSemver) => cmp(a, b) > 0,
      },
      {
        signature: 'kubernetes.Semver.isLessThan(kubernetes.Semver): bool',
        impl: (a: CelSemver, b: CelSemver) => cmp(a, b) < 0,
      },
      {
        signature: 'kubernetes.Semver.compareTo(kubernetes.Semver): int',
        impl: (a: CelSemver, b: CelSemver) => BigInt(cmp(a, b)),
      },
    ],
  };
}

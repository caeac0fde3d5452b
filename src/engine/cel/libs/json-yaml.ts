/** @module Kyverno's `json.unmarshal(s)`, `json.marshal(v)` and `yaml.parse(s)`. */
import { parse as parseYaml } from 'yaml';
import { CelEvalError } from '../errors.js';
import { fromCel, toCel } from '../values.js';
import type { CelLibrary } from './types.js';
import { namespaceLibraryParts } from './types.js';

function unmarshal(s: string): unknown {
  try {
    return toCel(JSON.parse(s));
  } catch (e) {
    throw new CelEvalError(`json.unmarshal: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function marshal(v: unknown): string {
  return JSON.stringify(fromCel(v), (_k, x) => (typeof x === 'bigint' ? Number(x) : x));
}

function yamlParse(s: string): unknown {
  try {
    return toCel(parseYaml(s, { maxAliasCount: 100 }));
  } catch (e) {
    throw new CelEvalError(`yaml.parse: ${e instanceof Error ? e.message : String(e)}`);
  }
}

export function jsonYamlLibrary(): CelLibrary {
  const json = namespaceLibraryParts('JsonNamespace', 'json');
  const yaml = namespaceLibraryParts('YamlNamespace', 'yaml');
  return {
    name: 'json-yaml',
    types: [...json.types, ...yaml.types],
    constants: [...json.constants, ...yaml.constants],
    functions: [
      { signature: 'JsonNamespace.unmarshal(string): dyn', impl: (_: unknown, s: string) => unmarshal(s) },
      { signature: 'JsonNamespace.marshal(dyn): string', impl: (_: unknown, v: unknown) => marshal(v) },
      { signature: 'YamlNamespace.parse(string): dyn', impl: (_: unknown, s: string) => yamlParse(s) },
    ],
  };
}

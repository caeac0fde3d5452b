/** @module Encoding functions: base64_decode, base64_encode, parse_json, parse_yaml, to_boolean. */
import { Buffer } from 'node:buffer';
import { parseAllDocuments } from 'yaml';
import { fail } from './function-errors.js';
import type { FunctionEntry, JpArgSpec } from './types.js';

const STR: JpArgSpec = { types: ['string'] };

/** Bounds alias expansion so a "billion laughs" document cannot blow up memory. */
const MAX_ALIAS_COUNT = 100;

/** Go `base64.StdEncoding.DecodeString`: padded alphabet, CR/LF ignored, anything else is an error. */
export function base64Decode(input: string): string | { error: string } {
  const s = input.replace(/[\r\n]/g, '');
  const bad = /[^A-Za-z0-9+/=]/.exec(s);
  if (bad) return { error: `illegal base64 data at input byte ${bad.index}` };
  const pad = s.indexOf('=');
  if (pad >= 0 && (!/^={1,2}$/.test(s.slice(pad)) || s.length % 4 !== 0 || s.length - pad > 2)) {
    return { error: `illegal base64 data at input byte ${pad}` };
  }
  if (s.length % 4 !== 0) return { error: `illegal base64 data at input byte ${s.length - (s.length % 4)}` };
  return Buffer.from(s, 'base64').toString('utf8');
}

/** sigs.k8s.io/yaml semantics: YAML 1.1 scalars (yes/on → true), timestamps stay strings, first document only. */
export function parseYaml(input: string): unknown {
  const docs = parseAllDocuments(input, {
    version: '1.1',
    customTags: (tags) =>
      tags.filter((t) => typeof t === 'string' || t.tag !== 'tag:yaml.org,2002:timestamp'),
  });
  if (!Array.isArray(docs)) return fail('parse_yaml', 'input is not a YAML document');
  const doc = docs[0];
  if (!doc) return null;
  const err = doc.errors[0];
  if (err) return fail('parse_yaml', `error converting YAML to JSON: ${err.message.split('\n')[0] ?? ''}`);
  try {
    return doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) ?? null;
  } catch (e) {
    return fail('parse_yaml', e instanceof Error ? e.message : String(e));
  }
}

export const encodingFunctions: readonly FunctionEntry[] = [
  {
    name: 'base64_decode',
    args: [STR],
    returns: ['string'],
    note: 'decodes a base 64 string',
    impl: ([s]) => {
      const out = base64Decode(s as string);
      return typeof out === 'string' ? out : fail('base64_decode', out.error);
    },
  },
  {
    name: 'base64_encode',
    args: [STR],
    returns: ['string'],
    note: 'encodes a regular, plaintext and unencoded string to base64',
    impl: ([s]) => Buffer.from(s as string, 'utf8').toString('base64'),
  },
  {
    name: 'parse_json',
    args: [STR],
    returns: ['any'],
    note: 'decodes a valid JSON encoded string to the appropriate type. Opposite of `to_string` function',
    impl: ([s]) => {
      try {
        return JSON.parse(s as string) as unknown;
      } catch (e) {
        return fail('parse_json', e instanceof Error ? e.message : String(e));
      }
    },
  },
  {
    name: 'parse_yaml',
    args: [STR],
    returns: ['any'],
    note: 'decodes a valid YAML encoded string to the appropriate type provided it can be represented as JSON',
    impl: ([s]) => parseYaml(s as string),
  },
  {
    name: 'to_boolean',
    args: [STR],
    returns: ['boolean'],
    note: "It returns true or false for any string, such as 'True', 'TruE', 'False', 'FAlse', 'faLSE', etc.",
    impl: ([s]) => {
      const v = (s as string).toLowerCase();
      if (v === 'true') return true;
      if (v === 'false') return false;
      return fail('to_boolean', `lowercase argument must be 'true' or 'false' (provided: '${s as string}')`);
    },
  },
];

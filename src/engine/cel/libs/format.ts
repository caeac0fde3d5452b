/**
 * @module Kubernetes' format library: `format.dns1123Label().validate(s)` returns
 * `optional.none()` when `s` is valid, else the list of error messages; `format.named(name)`.
 */
import { Optional } from '@marcbachmann/cel-js';
import { type CelLibrary, namespaceLibraryParts } from './types.js';

export class CelFormat {
  readonly name: string;
  readonly check: (s: string) => string[];
  constructor(name: string, check: (s: string) => string[]) {
    this.name = name;
    this.check = check;
  }
}

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const maxLen = (s: string, n: number) => (s.length > n ? [`must be no more than ${n} characters`] : []);

function label(s: string): string[] {
  return [
    ...maxLen(s, 63),
    ...(DNS1123_LABEL.test(s)
      ? []
      : [
          "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
        ]),
  ];
}

function subdomain(s: string): string[] {
  return [
    ...maxLen(s, 253),
    ...(DNS1123_SUBDOMAIN.test(s)
      ? []
      : [
          "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
        ]),
  ];
}

function dns1035(s: string): string[] {
  return [
    ...maxLen(s, 63),
    ...(DNS1035_LABEL.test(s)
      ? []
      : [
          "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character",
        ]),
  ];
}

function qualifiedName(s: string): string[] {
  const parts = s.split('/');
  const name = parts[parts.length - 1] ?? '';
  const errs: string[] = [];
  if (parts.length > 2)
    return [
      "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
    ];
  if (parts.length === 2) {
    const prefix = parts[0] ?? '';
    if (prefix === '') errs.push('prefix part must be non-empty');
    else errs.push(...subdomain(prefix).map((e) => `prefix part ${e}`));
  }
  if (name === '') errs.push('name part must be non-empty');
  else {
    if (name.length > 63) errs.push('name part must be no more than 63 characters');
    if (!QUALIFIED_NAME_PART.test(name)) {
      errs.push(
        "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
      );
    }
  }
  return errs;
}

const prefixOf = (f: (s: string) => string[]) => (s: string) => f(s.endsWith('-') ? s.slice(0, -1) : s);

const FORMATS: Readonly<Record<string, (s: string) => string[]>> = {
  dns1123Label: label,
  dns1123Subdomain: subdomain,
  dns1035Label: dns1035,
  qualifiedName,
  dns1123LabelPrefix: prefixOf(label),
  dns1123SubdomainPrefix: prefixOf(subdomain),
  dns1035LabelPrefix: prefixOf(dns1035),
  labelValue: (s) => [
    ...maxLen(s, 63),
    ...(LABEL_VALUE.test(s)
      ? []
      : [
          "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
        ]),
  ],
  uri: (s) => (/^[A-Za-z][A-Za-z0-9+.-]*:\S*$|^\/\S*$/.test(s) ? [] : ['must be a valid URI']),
  uuid: (s) => (UUID.test(s) ? [] : ['does not match the UUID format']),
  byte: (s) => (/^[A-Za-z0-9+/]*={0,2}$/.test(s) && s.length % 4 === 0 ? [] : ['invalid base64']),
  date: (s) => (/^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(s)) ? [] : ['invalid date']),
  datetime: (s) =>
    /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/.test(s)
      ? []
      : ['invalid datetime'],
};

export function formatLibrary(): CelLibrary {
  const ns = namespaceLibraryParts('FormatNamespace', 'format');
  return {
    name: 'format',
    types: [...ns.types, { name: 'kubernetes.NamedFormat', ctor: CelFormat }],
    constants: ns.constants,
    functions: [
      ...Object.entries(FORMATS).map(([name, check]) => ({
        signature: `FormatNamespace.${name}(): kubernetes.NamedFormat`,
        impl: () => new CelFormat(name, check),
      })),
      {
        signature: 'FormatNamespace.named(string): optional<kubernetes.NamedFormat>',
        impl: (_: unknown, name: string) => {
          const check = FORMATS[name];
          return check === undefined ? Optional.none() : Optional.of(new CelFormat(name, check));
        },
      },
      {
        signature: 'kubernetes.NamedFormat.validate(string): optional<list<string>>',
        impl: (f: CelFormat, s: string) => {
          const errs = f.check(s);
          return errs.length === 0 ? Optional.none() : Optional.of(errs);
        },
      },
    ],
  };
}

/** @module Kyverno's `user.parseServiceAccount("system:serviceaccount:ns:name")` → {namespace, name}. */
import { type CelLibrary, namespaceLibraryParts } from './types.js';

const PREFIX = 'system:serviceaccount:';

function parseServiceAccount(username: string): Record<string, unknown> {
  const out: Record<string, unknown> = Object.create(null);
  out.namespace = '';
  out.name = '';
  if (!username.startsWith(PREFIX)) return out;
  const parts = username.slice(PREFIX.length).split(':');
  if (parts.length !== 2 || parts[0] === '' || parts[1] === '') return out;
  out.namespace = parts[0];
  out.name = parts[1];
  return out;
}

export function userLibrary(): CelLibrary {
  return {
    name: 'user',
    ...namespaceLibraryParts('UserNamespace', 'user'),
    functions: [
      {
        signature: 'UserNamespace.parseServiceAccount(string): map<string, string>',
        impl: (_: unknown, u: string) => parseServiceAccount(u),
      },
      { signature: 'parseServiceAccount(string): map<string, string>', impl: parseServiceAccount },
    ],
  };
}

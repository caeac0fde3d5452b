/**
 * @module `serviceAccountName` / `serviceAccountNamespace` (Kyverno `context.go` AddServiceAccount).
 * The `system:serviceaccount:` prefix is not checked: its length is cut off and the rest split on
 * `:`, so any username of at most 22 characters, or without two further parts, gives empty strings.
 */
const PREFIX_LENGTH = 'system:serviceaccount:'.length;

export function serviceAccountOf(username: string): { readonly name: string; readonly namespace: string } {
  const rest = username.length <= PREFIX_LENGTH ? '' : username.slice(PREFIX_LENGTH);
  const groups = rest.split(':');
  if (groups.length >= 2) return { name: groups[1] ?? '', namespace: groups[0] ?? '' };
  return { name: '', namespace: '' };
}

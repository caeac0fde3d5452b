/**
 * @module How Kyverno splits a values-file variable name into context keys: as one CSV record with
 * `.` as the separator (its `AddVariable`), so a quoted part keeps its dots:
 * `request.object.metadata.annotations."example.com/owner"` → `request`, `object`, `metadata`,
 * `annotations`, `example.com/owner`.
 */

/**
 * The keys of `name`, per Go's encoding/csv (a field that starts with `"` runs to the next `"` not
 * doubled, `""` inside it is one quote). Undefined when the quoting is malformed (a quote inside an
 * unquoted part, text after a closing quote, an unclosed quote), which Kyverno reports as an error.
 */
export function splitVariableKey(name: string): string[] | undefined {
  const keys: string[] = [];
  let i = 0;
  for (;;) {
    if (name[i] === '"') {
      let key = '';
      i++;
      for (;;) {
        const q = name.indexOf('"', i);
        if (q < 0) return undefined;
        key += name.slice(i, q);
        if (name[q + 1] === '"') {
          key += '"';
          i = q + 2;
          continue;
        }
        i = q + 1;
        break;
      }
      keys.push(key);
      if (i === name.length) return keys;
      if (name[i] !== '.') return undefined;
      i++;
    } else {
      const dot = name.indexOf('.', i);
      const key = dot < 0 ? name.slice(i) : name.slice(i, dot);
      if (key.includes('"')) return undefined;
      keys.push(key);
      if (dot < 0) return keys;
      i = dot + 1;
    }
  }
}

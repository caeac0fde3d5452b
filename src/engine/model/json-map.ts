/**
 * A JSON object (a YAML mapping): an object that is not an array. The one guard the engine's
 * modules share, instead of a copy each.
 */
export function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

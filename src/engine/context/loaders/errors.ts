/** @module A context entry failed to load; the runner reports `failed to load context: <message>`. */
export class ContextLoadError extends Error {
  readonly entry: string;
  constructor(entry: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ContextLoadError';
    this.entry = entry;
  }
}

// Types of namespace-finisher.mjs for the TypeScript tests (test/e2e/namespace-finisher.test.ts).

export interface NamespaceFinisher {
  readonly counts: { finished: number; leftToController: number };
  stop(): void;
}
export function startNamespaceFinisher(options: {
  server: string;
  ca: string | Buffer;
  token: string;
  intervalMs?: number;
}): NamespaceFinisher;

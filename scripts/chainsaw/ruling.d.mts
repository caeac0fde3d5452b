// Types of ruling.mjs for the TypeScript tests (test/conformance/chainsaw-ruling.test.ts).

export interface ChainsawOperation {
  type?: string;
  startTime?: string;
  endTime?: string;
  failure?: { error?: string };
}
export interface ChainsawReport {
  tests?: { name?: string; steps?: { name?: string; operations?: ChainsawOperation[] }[] }[];
}
export interface ChainsawExit {
  status?: number | null;
  signal?: string | null;
  timedOut?: boolean;
}
export interface Row {
  suite: string;
  status: string;
}

export function listedSuites(text: string): Set<string>;
export function listedNotes(text: string): Map<string, string>;
export function failureOf(
  report: ChainsawReport | undefined,
  exit: ChainsawExit,
  limitSeconds: number,
  log?: string,
): string;
export function slowestOperation(
  report: ChainsawReport | undefined,
): { what: string; seconds: number } | undefined;
export function deal(suites: readonly string[], shards: number): string[][];
export function rule<R extends Row>(
  rows: readonly R[],
  known: ReadonlySet<string>,
): { regressions: R[]; fixed: R[]; ok: boolean };
export function lastOperation(log: string): string | undefined;

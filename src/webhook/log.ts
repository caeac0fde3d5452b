/**
 * @module Structured logs: one JSON object per line, on a sink the caller gives (stderr in `main`).
 * One line per admission decision, saying what was decided and why, so that a denial can be traced
 * to its policy and rule without debug logging.
 */
import type { Decision } from './http.js';

export type LogSink = (line: string) => void;
export type LogFields = Readonly<Record<string, unknown>>;

export interface Logger {
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
}

export function createLogger(sink: LogSink, now: () => Date = () => new Date()): Logger {
  const write = (level: string, msg: string, fields: LogFields = {}): void => {
    let line: string;
    try {
      line = JSON.stringify({ time: now().toISOString(), level, msg, ...fields });
    } catch {
      line = JSON.stringify({ time: now().toISOString(), level, msg, note: 'fields not serialisable' });
    }
    sink(line);
  };
  return {
    info: (msg, fields) => write('info', msg, fields),
    warn: (msg, fields) => write('warn', msg, fields),
    error: (msg, fields) => write('error', msg, fields),
  };
}

/** The fields of a decision's log line. */
export function decisionFields(d: Decision, durationMs: number): LogFields {
  const { request, answer, endpoint } = d;
  const outcome = answer.outcome;
  const response = answer.response;
  return {
    uid: request.uid,
    path: endpoint.path,
    operation: request.operation,
    kind: `${request.kind.group === '' ? '' : `${request.kind.group}/`}${request.kind.version}/${request.kind.kind}`,
    namespace: request.namespace,
    name: request.name,
    ...(request.subResource !== undefined ? { subResource: request.subResource } : {}),
    user: request.userInfo?.username ?? '',
    dryRun: request.dryRun === true,
    allowed: response.allowed,
    ...(answer.skipped !== undefined ? { skipped: answer.skipped } : {}),
    ...(response.status !== undefined ? { message: response.status.message } : {}),
    ...(d.loaded !== undefined ? { policySet: d.loaded.generation } : {}),
    durationMs: Math.round(durationMs * 1000) / 1000,
    ...(outcome !== undefined
      ? {
          policies: outcome.responses.length,
          enforcedFailures: outcome.enforcedFailures.map((f) => `${f.policy.name}/${f.rule}`),
          auditFailures: outcome.auditFailures.map((f) => `${f.policy.name}/${f.rule}`),
          patchOperations: response.patch?.length ?? 0,
        }
      : {}),
    warnings: response.warnings?.length ?? 0,
  };
}

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

export function createLogger(sink: LogSink, now?: () => Date): Logger {
  // The time's text is made once per millisecond: under load many lines share it. Without a clock
  // given, the time is read as a number (no Date per line) and a Date made only when it changes.
  const readMs = now === undefined ? Date.now : () => now().getTime();
  let lastMs = Number.NaN;
  let lastSecond = Number.NaN;
  let lastIso = '';
  const isoTime = (): string => {
    const ms = readMs();
    if (ms !== lastMs) {
      const second = Math.floor(ms / 1000);
      if (second === lastSecond && ms >= 0) {
        // Within the second of the last text only its milliseconds (`SSSZ`, the last four
        // characters) change: under load nearly every line has a new millisecond, and
        // `toISOString` costs ~0.5 µs where this is a slice.
        const milli = ms - second * 1000;
        lastIso = `${lastIso.slice(0, -4)}${milli < 10 ? '00' : milli < 100 ? '0' : ''}${milli}Z`;
      } else {
        lastIso = new Date(ms).toISOString();
        lastSecond = second;
      }
      lastMs = ms;
    }
    return lastIso;
  };
  // The line's fixed head is made again only when its time, level or message changes: under load,
  // consecutive decision lines share all three.
  let headIso = '';
  let headLevel = '';
  let headMsg = '';
  let head = '';
  const write = (level: string, msg: string, fields: LogFields = {}): void => {
    let line: string;
    try {
      const time = isoTime();
      if (Object.hasOwn(fields, 'time') || Object.hasOwn(fields, 'level') || Object.hasOwn(fields, 'msg'))
        line = JSON.stringify(Object.assign({ time, level, msg }, fields));
      else {
        // The fields' own JSON after the fixed ones: no merged copy of the fields per decision.
        if (time !== headIso || level !== headLevel || msg !== headMsg) {
          head = `{"time":${JSON.stringify(time)},"level":${JSON.stringify(level)},"msg":${JSON.stringify(msg)}`;
          headIso = time;
          headLevel = level;
          headMsg = msg;
        }
        const rest = JSON.stringify(fields);
        line = rest === '{}' ? `${head}}` : `${head},${rest.slice(1)}`;
      }
    } catch {
      line = JSON.stringify({
        time: new Date(readMs()).toISOString(),
        level,
        msg,
        note: 'fields not serialisable',
      });
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
  // Built field by field in this order (no conditional spreads, V8's slow path): once per decision.
  const fields: Record<string, unknown> = {
    uid: request.uid,
    path: endpoint.path,
    operation: request.operation,
    kind: `${request.kind.group === '' ? '' : `${request.kind.group}/`}${request.kind.version}/${request.kind.kind}`,
    namespace: request.namespace,
    name: request.name,
  };
  if (request.subResource !== undefined) fields.subResource = request.subResource;
  fields.user = request.userInfo?.username ?? '';
  fields.dryRun = request.dryRun === true;
  fields.allowed = response.allowed;
  if (answer.skipped !== undefined) fields.skipped = answer.skipped;
  if (response.status !== undefined) fields.message = response.status.message;
  if (d.loaded !== undefined) fields.policySet = d.loaded.generation;
  fields.durationMs = Math.round(durationMs * 1000) / 1000;
  if (outcome !== undefined) {
    fields.policies = outcome.responses.length;
    fields.enforcedFailures = outcome.enforcedFailures.map((f) => `${f.policy.name}/${f.rule}`);
    fields.auditFailures = outcome.auditFailures.map((f) => `${f.policy.name}/${f.rule}`);
    // Rules that could not be evaluated (a read the API server refused, a bad variable): named, so an
    // error that changes nothing in the answer (a generate rule's, an Ignore policy's) is not silent.
    const ruleErrors: string[] = [];
    for (const { response: r } of outcome.responses)
      for (const rule of r.rules)
        if (rule.status === 'error') ruleErrors.push(`${r.policyKey}/${rule.name}: ${rule.message}`);
        else if (rule.generateError !== undefined)
          ruleErrors.push(`${r.policyKey}/${rule.name}: ${rule.generateError}`);
    if (ruleErrors.length > 0) fields.ruleErrors = ruleErrors;
    fields.patchOperations = response.patch?.length ?? 0;
  }
  fields.warnings = response.warnings?.length ?? 0;
  return fields;
}

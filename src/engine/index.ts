/**
 * @module The engine's public surface. Pure: policies and requests in, verdicts out.
 * Nothing here throws across the boundary; bad input comes back as Diagnostics.
 */

export type { DiagnosticCode } from './diagnostics/codes.js';
export type { Diagnostic, FieldPath, Result, SourceRef } from './diagnostics/diagnostic.js';
export { formatFieldPath } from './diagnostics/diagnostic.js';
export type { CompiledPolicy } from './evaluate/evaluate-policy.js';
export { compilePolicy, evaluatePolicy } from './evaluate/evaluate-policy.js';
export type * from './policy/types.js';
export type * from './ports.js';
export type * from './request.js';
export type * from './verdict/types.js';

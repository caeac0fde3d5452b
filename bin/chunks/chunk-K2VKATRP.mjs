import { createRequire as __palisadeRequire } from 'node:module'; const require = __palisadeRequire(import.meta.url);

// src/webhook/policy-source.ts
function diagnosticFields(d) {
  return {
    code: d.code,
    severity: d.severity,
    message: d.message,
    ...d.source !== void 0 ? { file: d.source.file, line: d.source.line, column: d.source.column } : {}
  };
}

export {
  diagnosticFields
};

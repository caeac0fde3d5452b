import { createRequire as __palisadeRequire } from 'node:module'; const require = __palisadeRequire(import.meta.url);
import {
  formatFieldPath
} from "./chunk-VRWKX5IU.mjs";

// src/cli/output/format-diagnostic.ts
function formatDiagnostic(d) {
  const doc = d.source !== void 0 && d.source.document > 0 ? ` (document ${d.source.document + 1})` : "";
  const where = d.source !== void 0 ? `${d.source.file}:${d.source.line}:${d.source.column}${doc}: ` : "";
  const sev = d.severity === "warning" ? "warning " : "";
  const at = d.path.length > 0 ? ` (at ${formatFieldPath(d.path)})` : "";
  const hint = d.hint !== void 0 ? ` (${d.hint})` : "";
  const message = d.message.replace(/\r?\n(?!$)/g, "\\n").replace(/\r?\n$/, "");
  return `${where}${sev}${d.code}: ${message}${at}${hint}`;
}

export {
  formatDiagnostic
};

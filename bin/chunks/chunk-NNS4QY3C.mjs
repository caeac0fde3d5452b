import { createRequire as __palisadeRequire } from 'node:module'; const require = __palisadeRequire(import.meta.url);

// src/cli/output/color.ts
var CODES = {
  pass: "32",
  fail: "31",
  warn: "33",
  error: "35",
  skip: "90"
};
function colorStatus(text, status, color) {
  const code = CODES[status.toLowerCase()];
  return color && code !== void 0 ? `\x1B[${code}m${text}\x1B[0m` : text;
}
var ANSI = /\u001b\[[0-9;]*m/g;
function visibleLength(s) {
  return s.replace(ANSI, "").length;
}
function shouldColor(isTTY, env) {
  return isTTY && (env.NO_COLOR === void 0 || env.NO_COLOR === "");
}

export {
  colorStatus,
  visibleLength,
  shouldColor
};

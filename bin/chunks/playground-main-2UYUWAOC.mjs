import { createRequire as __palisadeRequire } from 'node:module'; const require = __palisadeRequire(import.meta.url);
import {
  EXIT_INPUT,
  EXIT_OK,
  EXIT_USAGE
} from "./chunk-4HTNUG6Q.mjs";
import {
  parseCommandArgs,
  str
} from "./chunk-C2NMBPH6.mjs";
import "./chunk-S3ZW6KE6.mjs";
import "./chunk-34UHWEGN.mjs";

// src/cli/playground-main.ts
import { spawn } from "node:child_process";
import { existsSync as existsSync2 } from "node:fs";
import { dirname, join as join2, resolve as resolve2 } from "node:path";
import { fileURLToPath } from "node:url";

// src/io/static-site.ts
import { existsSync, readFileSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { extname, join, normalize, resolve, sep } from "node:path";
import { gzipSync } from "node:zlib";
var TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".txt": "text/plain; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon"
};
var CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
function fileFor(root, urlPath) {
  let path;
  try {
    path = decodeURIComponent(urlPath.split(/[?#]/, 1)[0] ?? "/");
  } catch {
    return void 0;
  }
  if (path.includes("\0")) return void 0;
  const rel = normalize(path.endsWith("/") ? `${path}index.html` : path).replace(/^([/\\])+/, "");
  const full = resolve(root, rel);
  if (full !== root && !full.startsWith(root + sep)) return void 0;
  if (!existsSync(full) || !statSync(full).isFile()) return void 0;
  return full;
}
async function serveStaticSite(options) {
  const root = resolve(options.dir);
  const cache = /* @__PURE__ */ new Map();
  const load = (file) => {
    const mtimeMs = statSync(file).mtimeMs;
    const known = cache.get(file);
    if (known !== void 0 && known.mtimeMs === mtimeMs) return known;
    const body = readFileSync(file);
    const entry = { body, gzip: gzipSync(body), mtimeMs };
    cache.set(file, entry);
    return entry;
  };
  const handle = (req, res) => {
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.setHeader("Content-Security-Policy", CSP);
    res.setHeader("Cache-Control", "no-cache");
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { Allow: "GET, HEAD" }).end();
      return;
    }
    const file = fileFor(root, req.url ?? "/");
    if (file === void 0) {
      res.writeHead(404, { "Content-Type": "text/plain; charset=utf-8" }).end("not found\n");
      return;
    }
    const entry = load(file);
    const gzip = /\bgzip\b/.test(String(req.headers["accept-encoding"] ?? ""));
    const body = gzip ? entry.gzip : entry.body;
    res.writeHead(200, {
      "Content-Type": TYPES[extname(file)] ?? "application/octet-stream",
      "Content-Length": body.length,
      Vary: "Accept-Encoding",
      ...gzip ? { "Content-Encoding": "gzip" } : {}
    });
    res.end(req.method === "HEAD" ? void 0 : body);
  };
  const server = createServer((req, res) => {
    try {
      handle(req, res);
    } catch {
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    }
  });
  await new Promise((ok, fail) => {
    server.once("error", fail);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => ok());
  });
  const { address, port } = server.address();
  const host = address.includes(":") ? `[${address}]` : address;
  return {
    url: `http://${host}:${port}/`,
    close: () => new Promise((ok) => {
      server.closeAllConnections();
      server.close(() => ok());
    })
  };
}
function isPlaygroundFolder(dir) {
  return existsSync(join(dir, "index.html")) && existsSync(join(dir, "app.js"));
}

// src/cli/playground-args.ts
var PLAYGROUND_HELP = `Serve the playground on this machine: policies and resources evaluated in your browser by
the engine the CLI uses. Nothing leaves the browser; the server only hands out the page's files.

Usage:
  palisade playground [--port N] [--open] [--dir folder]

Flags:
      --port int      port on 127.0.0.1 (default 3710; 0 picks a free one)
      --open          open the page in the default browser
      --dir string    the built playground (default: dist-playground/ of this installation;
                      build it with 'npm run playground:build')
  -h, --help          help for playground`;
var DEFAULT_PORT = 3710;
function parsePlaygroundArgs(argv) {
  const parsed = parseCommandArgs(argv, {
    port: { type: "string" },
    open: { type: "boolean" },
    dir: { type: "string" },
    help: { type: "boolean", short: "h" }
  });
  if (!parsed.ok) return parsed;
  if (parsed.positionals.length > 0)
    return { ok: false, error: `unexpected argument "${parsed.positionals[0]}"` };
  const portText = str(parsed.values.port);
  const port = portText === void 0 ? DEFAULT_PORT : Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    return { ok: false, error: `--port must be a number from 0 to 65535, got "${portText}"` };
  const dir = str(parsed.values.dir);
  return {
    ok: true,
    args: {
      port,
      open: parsed.values.open === true,
      help: parsed.values.help === true,
      ...dir !== void 0 ? { dir } : {}
    }
  };
}

// src/cli/playground-main.ts
function installedFolder() {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync2(join2(dir, "package.json"))) return join2(dir, "dist-playground");
    dir = dirname(dir);
  }
  return void 0;
}
function openBrowser(url) {
  const [cmd, args] = process.platform === "darwin" ? ["open", [url]] : process.platform === "win32" ? ["cmd", ["/c", "start", "", url]] : ["xdg-open", [url]];
  try {
    const child = spawn(cmd, args, { detached: true, stdio: "ignore" });
    child.on("error", () => process.stderr.write(`could not open a browser; visit ${url}
`));
    child.unref();
  } catch {
    process.stderr.write(`could not open a browser; visit ${url}
`);
  }
}
async function runPlayground(argv) {
  const parsed = parsePlaygroundArgs(argv);
  if (!parsed.ok) {
    process.stderr.write(`Error: ${parsed.error}
Run 'palisade playground --help' for usage.
`);
    process.exitCode = EXIT_USAGE;
    return;
  }
  const args = parsed.args;
  if (args.help) {
    process.stdout.write(`${PLAYGROUND_HELP}
`);
    process.exitCode = EXIT_OK;
    return;
  }
  const dir = args.dir !== void 0 ? resolve2(args.dir) : installedFolder();
  if (dir === void 0 || !isPlaygroundFolder(dir)) {
    process.stderr.write(
      `Error: no built playground in ${dir ?? "this installation"}; run 'npm run playground:build' or pass --dir
`
    );
    process.exitCode = EXIT_INPUT;
    return;
  }
  let site;
  try {
    site = await serveStaticSite({ dir, host: "127.0.0.1", port: args.port });
  } catch (err) {
    process.stderr.write(`Error: cannot listen on 127.0.0.1:${args.port}: ${err.message}
`);
    process.exitCode = EXIT_INPUT;
    return;
  }
  process.stdout.write(`Palisade playground: ${site.url} (Ctrl-C to stop)
`);
  if (args.open) openBrowser(site.url);
  await new Promise((done) => {
    const stop = () => {
      void site.close().then(done);
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  process.exitCode = EXIT_OK;
}
export {
  runPlayground
};

import { createRequire as __palisadeRequire } from 'node:module'; const require = __palisadeRequire(import.meta.url);

// src/io/cluster/egress-policy.ts
import { lookup as dnsLookup } from "node:dns";
import { BlockList, isIP } from "node:net";
var DEFAULT_HTTP_BLOCKLIST = [
  "169.254.169.254",
  "169.254.169.253",
  "metadata.google.internal",
  "127.0.0.0/8",
  "::1/128"
];
var normalizeHost = (host) => host.toLowerCase().replace(/\.$/, "").replace(/^\[|\]$/g, "");
var effectivePort = (u) => u.port || (u.protocol === "https:" ? "443" : "80");
function allowedBy(prefix, u) {
  if (prefix.protocol !== u.protocol) return false;
  if (normalizeHost(prefix.hostname) !== normalizeHost(u.hostname) || effectivePort(prefix) !== effectivePort(u))
    return false;
  const path = prefix.pathname;
  if (path === "" || path === "/" || u.pathname === path) return true;
  return u.pathname.startsWith(path) && (path.endsWith("/") || u.pathname[path.length] === "/");
}
function ipv6Groups(address) {
  let text = address.toLowerCase().split("%")[0] ?? "";
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number);
    text = `${text.slice(0, dotted.index)}${(a << 8 | b).toString(16)}:${(c << 8 | d).toString(16)}`;
  }
  const [head = "", tail] = text.split("::");
  const part = (s) => s === "" ? [] : s.split(":").map((g) => Number.parseInt(g, 16));
  const left = part(head);
  const right = tail === void 0 ? [] : part(tail);
  const groups = tail === void 0 ? left : [...left, ...new Array(8 - left.length - right.length).fill(0), ...right];
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 65535) ? groups : void 0;
}
function embeddedIpv4(address) {
  const g = ipv6Groups(address);
  if (g === void 0) return void 0;
  const zeros = (n) => g.slice(0, n).every((x) => x === 0);
  const carries = zeros(5) && (g[5] === 65535 || g[5] === 0) || g[0] === 100 && g[1] === 65435 && g.slice(2, 6).every((x) => x === 0);
  if (!carries || zeros(6) && g[6] === 0) return void 0;
  const [hi = 0, lo = 0] = g.slice(6);
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
}
function defaultEgressPolicy() {
  const made = egressPolicy(DEFAULT_HTTP_BLOCKLIST, []);
  if (!made.ok) throw new Error(`the default HTTP blocklist does not parse: ${made.error}`);
  return made.policy;
}
function egressPolicyFromFlags(blocklist, allowlist) {
  const list = (raw) => raw === void 0 ? void 0 : raw.split(",").filter((e) => e.trim() !== "");
  return egressPolicy(list(blocklist) ?? DEFAULT_HTTP_BLOCKLIST, list(allowlist) ?? []);
}
function egressPolicy(blocklist, allowlist) {
  const ranges = new BlockList();
  const describe = [];
  const hosts = /* @__PURE__ */ new Set();
  for (const raw of blocklist) {
    const entry = raw.trim();
    if (entry === "") continue;
    const [address = "", bits] = entry.split("/");
    const family = isIP(address);
    if (bits !== void 0 || family !== 0) {
      const prefix = bits === void 0 ? family === 4 ? 32 : 128 : Number(bits);
      const max = family === 4 ? 32 : 128;
      if (family === 0 || !/^\d+$/.test(bits ?? String(prefix)) || prefix > max)
        return { ok: false, error: `invalid CIDR "${entry}" in the HTTP blocklist` };
      ranges.addSubnet(address, prefix, family === 4 ? "ipv4" : "ipv6");
      describe.push(entry);
    } else hosts.add(normalizeHost(entry));
  }
  const prefixes = [];
  for (const raw of allowlist) {
    const entry = raw.trim();
    if (entry === "") continue;
    let u;
    try {
      u = new URL(entry);
    } catch {
      return { ok: false, error: `invalid URL "${entry}" in the HTTP allowlist` };
    }
    if (u.host === "")
      return {
        ok: false,
        error: `allowlist entry "${entry}" must include scheme and host (e.g. https://api.example.com)`
      };
    prefixes.push(u);
  }
  const blockedAddress = (address) => {
    const family = isIP(address);
    if (family === 4) return ranges.check(address, "ipv4");
    if (family !== 6) return false;
    const v4 = embeddedIpv4(address);
    return ranges.check(address, "ipv6") || v4 !== void 0 && ranges.check(v4, "ipv4");
  };
  const lookup = (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, "", 0);
      const list = addresses;
      const blocked = list.find((a) => blockedAddress(a.address));
      if (blocked !== void 0)
        return callback(
          Object.assign(
            new Error(`connection to ${hostname} blocked: it resolves to a blocked address range`),
            {
              code: "EBLOCKED"
            }
          ),
          "",
          0
        );
      if (options.all) return callback(null, list);
      const first = list[0];
      if (first === void 0)
        return callback(Object.assign(new Error(`no address for ${hostname}`), { code: "ENOTFOUND" }), "", 0);
      callback(null, first.address, first.family);
    });
  };
  return {
    ok: true,
    policy: {
      refuse(url) {
        if (prefixes.length > 0 && !prefixes.some((p) => allowedBy(p, url)))
          return `URL "${url.href}" is not permitted: no matching allowlist entry`;
        const host = normalizeHost(url.hostname);
        if (hosts.has(host)) return `URL "${url.href}" is blocked: host name "${host}" is on the blocklist`;
        if (blockedAddress(host)) return `URL "${url.href}" is blocked: the address is in a blocked range`;
        return void 0;
      },
      lookup
    }
  };
}

export {
  DEFAULT_HTTP_BLOCKLIST,
  defaultEgressPolicy,
  egressPolicyFromFlags
};

import { createRequire as __palisadeRequire } from 'node:module'; const require = __palisadeRequire(import.meta.url);
import {
  documentPath,
  foreignReason,
  locate,
  locateLazily,
  nothingLeft,
  skippedNotice,
  streamPathUnits
} from "./chunk-B25Y5PAN.mjs";
import {
  ioDiagnostic
} from "./chunk-BEDWXCWF.mjs";

// src/io/files/cli-cluster-scoped.ts
var BY_GROUP = {
  "": ["ComponentStatus", "Namespace", "Node", "PersistentVolume"],
  "admissionregistration.k8s.io": [
    "MutatingWebhookConfiguration",
    "ValidatingAdmissionPolicy",
    "ValidatingAdmissionPolicyBinding",
    "ValidatingWebhookConfiguration"
  ],
  "apiextensions.k8s.io": ["CustomResourceDefinition"],
  "apiregistration.k8s.io": ["APIService"],
  "authentication.k8s.io": ["SelfSubjectReview", "TokenReview"],
  "authorization.k8s.io": ["SelfSubjectAccessReview", "SelfSubjectRulesReview", "SubjectAccessReview"],
  "certificates.k8s.io": ["CertificateSigningRequest"],
  "flowcontrol.apiserver.k8s.io": ["FlowSchema", "PriorityLevelConfiguration"],
  "networking.k8s.io": ["IPAddress", "IngressClass", "ServiceCIDR"],
  "node.k8s.io": ["RuntimeClass"],
  "rbac.authorization.k8s.io": ["ClusterRole", "ClusterRoleBinding"],
  "resource.k8s.io": ["DeviceClass", "ResourceSlice"],
  "scheduling.k8s.io": ["PriorityClass"],
  "storage.k8s.io": ["CSIDriver", "CSINode", "StorageClass", "VolumeAttachment", "VolumeAttributesClass"]
};
var CLUSTER_SCOPED = new Set(
  Object.entries(BY_GROUP).flatMap(([group, kinds]) => kinds.map((kind) => `${group}/${kind}`))
);
function isCliClusterScoped(apiVersion, kind) {
  const text = typeof apiVersion === "string" ? apiVersion : "";
  const parts = text.split("/");
  const group = parts.length === 2 ? parts[0] ?? "" : "";
  return CLUSTER_SCOPED.has(`${group}/${kind}`);
}

// src/io/files/resource-documents.ts
function toResource(doc) {
  const v = doc.value;
  const invalid = (message, path, at = path) => ({
    ok: false,
    issue: {
      ...ioDiagnostic("resource/invalid", message, { path: documentPath(doc, path) }),
      source: locate(doc, at)
    }
  });
  if (v === null || typeof v !== "object" || Array.isArray(v))
    return invalid("a resource must be a YAML mapping", []);
  const o = v;
  if (typeof o.kind !== "string" || o.kind === "") return invalid("Object 'Kind' is missing", ["kind"], []);
  const wrong = wrongTypedField(o);
  if (wrong !== void 0) return invalid(`${wrong.path.join(".")} must be ${wrong.want}`, wrong.path);
  const metadata = withoutWrongTypedMetadata(
    o.metadata !== null && typeof o.metadata === "object" ? o.metadata : {}
  );
  if (!metadata.name && !metadata.generateName)
    return invalid(
      `${o.kind} has neither metadata.name nor metadata.generateName`,
      ["metadata", "name"],
      o.metadata !== null && typeof o.metadata === "object" ? ["metadata"] : []
    );
  const namespace = typeof metadata.namespace === "string" && metadata.namespace !== "" ? metadata.namespace : isCliClusterScoped(o.apiVersion, o.kind) ? void 0 : "default";
  const { namespace: _absent, ...rest } = metadata;
  const meta = namespace === void 0 ? rest : { ...rest, namespace };
  const object = withEmptyNilMaps({ ...o, metadata: meta });
  return { ok: true, value: { object, source: doc } };
}
var MAP_FIELDS = /* @__PURE__ */ new Set([
  "annotations",
  "labels",
  "matchLabels",
  "nodeSelector",
  "data",
  "stringData"
]);
function withEmptyNilMaps(value) {
  if (Array.isArray(value)) {
    let out2;
    for (let i = 0; i < value.length; i++) {
      const item = value[i];
      if (item === null || typeof item !== "object") continue;
      const next = withEmptyNilMaps(item);
      if (next === item) continue;
      out2 ??= [...value];
      out2[i] = next;
    }
    return out2 ?? value;
  }
  if (value === null || typeof value !== "object") return value;
  const record = value;
  let out;
  for (const key of Object.keys(record)) {
    const field = record[key];
    let next;
    if (field === null) {
      if (!MAP_FIELDS.has(key)) continue;
      next = {};
    } else if (typeof field !== "object") continue;
    else {
      next = withEmptyNilMaps(field);
      if (next === field) continue;
    }
    out ??= { ...record };
    out[key] = next;
  }
  return out ?? value;
}
function withoutWrongTypedMetadata(metadata) {
  if (metadata.namespace === void 0 || typeof metadata.namespace === "string") return metadata;
  const { namespace: _wrong, ...rest } = metadata;
  return rest;
}
function wrongTypedField(o) {
  if (o.apiVersion !== void 0 && typeof o.apiVersion !== "string")
    return { path: ["apiVersion"], want: "a string" };
  const m = o.metadata;
  if (m === void 0 || m === null) return void 0;
  if (typeof m !== "object" || Array.isArray(m)) return { path: ["metadata"], want: "a mapping" };
  const meta = m;
  for (const f of ["name", "generateName"]) {
    const v = meta[f];
    if (v !== void 0 && v !== null && typeof v !== "string")
      return { path: ["metadata", f], want: "a string" };
  }
  return void 0;
}
function resourceKey(o) {
  return `${o.apiVersion ?? ""},${o.kind ?? ""},${o.metadata?.namespace ?? ""},${o.metadata?.name ?? ""}`;
}
function groupOf(apiVersion) {
  const v = apiVersion ?? "";
  return v.includes("/") ? v.slice(0, v.indexOf("/")) : "";
}
function removeDuplicates(items) {
  const seen = /* @__PURE__ */ new Set();
  const uniques = [];
  const duplicates = [];
  for (const it of items) {
    const o = it.object;
    const key = `${groupOf(o.apiVersion)}|${o.kind}|${o.metadata?.namespace ?? ""}|${o.metadata?.name ?? ""}`;
    if (seen.has(key)) duplicates.push(it);
    else {
      seen.add(key);
      uniques.push(it);
    }
  }
  return { uniques, duplicates };
}
function existingPrefix(value, path) {
  let node = value;
  let n = 0;
  for (const seg of path) {
    if (typeof node !== "object" || node === null || !Object.hasOwn(node, seg)) break;
    node = node[seg];
    n++;
  }
  return path.slice(0, n);
}
function locateInResource(resource, path) {
  return locateLazily(resource.source, existingPrefix(resource.source.value, path ?? []));
}

// src/io/files/resources.ts
function loadResources(paths, stdin, options = {}) {
  const resources = [];
  const stream = streamResources(paths, stdin, options);
  for (let step = stream.next(); ; step = stream.next()) {
    if (step.done === true) return { resources, issues: step.value };
    resources.push(step.value);
  }
}
function* streamResources(paths, stdin, options = {}) {
  const stream = streamResourceUnits(paths, stdin, options);
  for (let step = stream.next(); ; step = stream.next()) {
    if (step.done === true) return step.value;
    if ("resource" in step.value) yield step.value.resource;
  }
}
function documentAsResource(doc) {
  const foreign = foreignReason(doc, "a Kubernetes object");
  if (foreign !== void 0) return { notice: skippedNotice(doc, foreign), skipped: true };
  const r = toResource(doc);
  return r.ok ? { resource: r.value } : { notice: r.issue, skipped: false };
}
function* streamResourceUnits(paths, stdin, options = {}, split) {
  const stream = streamPathUnits(paths, stdin, options, split);
  const notices = [];
  let found = 0;
  let skipped = 0;
  let answer;
  for (let step = stream.next(answer); ; step = stream.next(answer)) {
    answer = void 0;
    if (step.done === true) {
      const issues = [...step.value, ...notices];
      if (found === 0 && skipped > 0) issues.push(nothingLeft(paths, skipped, "Kubernetes objects"));
      return issues;
    }
    const unit = step.value;
    if ("chunk" in unit) {
      yield unit;
      continue;
    }
    if ("fileEnd" in unit) {
      answer = (yield unit) ?? [];
      for (const r2 of answer) {
        found += r2.found;
        skipped += r2.skipped;
        notices.push(...r2.notices);
      }
      continue;
    }
    const r = documentAsResource(unit.document);
    if ("resource" in r) {
      found++;
      yield r;
    } else {
      if (r.skipped) skipped++;
      notices.push(r.notice);
    }
  }
}

export {
  resourceKey,
  removeDuplicates,
  locateInResource,
  loadResources,
  documentAsResource,
  streamResourceUnits
};

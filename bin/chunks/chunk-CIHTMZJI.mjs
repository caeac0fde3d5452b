import { createRequire as __palisadeRequire } from 'node:module'; const require = __palisadeRequire(import.meta.url);

// src/io/events/policy-events.ts
var str = (v) => typeof v === "string" ? v : "";
function refOfObject(object) {
  const namespace = str(object.metadata?.namespace);
  const uid = str(object.metadata?.uid);
  return {
    apiVersion: str(object.apiVersion),
    kind: str(object.kind),
    name: str(object.metadata?.name),
    ...namespace !== "" ? { namespace } : {},
    ...uid !== "" ? { uid } : {}
  };
}
function refOfPolicy(policy) {
  return {
    apiVersion: policy.apiVersion,
    kind: policy.kind,
    name: policy.name,
    ...policy.namespace !== void 0 && policy.namespace !== "" ? { namespace: policy.namespace } : {},
    ...policy.uid !== void 0 && policy.uid !== "" ? { uid: policy.uid } : {}
  };
}
var described = (r) => r.namespace !== void 0 ? `${r.kind} ${r.namespace}/${r.name}` : `${r.kind} ${r.name}`;
var keyOf = (r) => r.namespace !== void 0 ? `${r.kind}/${r.namespace}/${r.name}` : `${r.kind}/${r.name}`;
var failed = (rule) => rule.status === "fail" || rule.status === "error";
function policyFailEvent(source, result, rule, blocked) {
  const resource = refOfObject(result.response.resource);
  let message = described(resource);
  message += rule.name !== "" ? `: [${rule.name}] ${rule.status}` : `: ${rule.status}`;
  if (blocked) message += " (blocked)";
  if (rule.message !== "") message += `; ${rule.message}`;
  return {
    regarding: refOfPolicy(result.policy),
    related: resource,
    reason: "PolicyViolation",
    source,
    message,
    action: blocked ? "Resource Blocked" : "Resource Passed"
  };
}
function resourceViolationEvent(source, result, rule) {
  return {
    regarding: refOfObject(result.response.resource),
    reason: "PolicyViolation",
    source,
    message: `policy ${result.policy.name}/${rule.name} ${rule.status}: ${rule.message}`,
    action: "Resource Passed"
  };
}
function policyAppliedEvent(source, result) {
  const resource = refOfObject(result.response.resource);
  const mutated = result.response.rules.length > 0 && result.response.rules.every((r) => r.type === "Mutation");
  return {
    regarding: refOfPolicy(result.policy),
    related: resource,
    reason: "PolicyApplied",
    source,
    message: mutated ? `${described(resource)} is successfully mutated` : `${described(resource)}: pass`,
    action: mutated ? "Resource Mutated" : "Resource Passed"
  };
}
function exceptionEvents(source, result, rule) {
  const exceptions = rule.exceptions ?? [];
  if (exceptions.length === 0) return [];
  const resource = refOfObject(result.response.patchedResource);
  const p = result.policy;
  const policyName = p.namespace !== void 0 && p.namespace !== "" ? `${p.namespace}/${p.name}` : p.name;
  const out = exceptions.map((ex) => {
    const [ns, name] = ex.includes("/") ? [ex.slice(0, ex.indexOf("/")), ex.slice(ex.indexOf("/") + 1)] : ["", ex];
    return {
      regarding: {
        apiVersion: "kyverno.io/v2",
        kind: "PolicyException",
        name,
        ...ns !== "" ? { namespace: ns } : {}
      },
      related: resource,
      reason: "PolicySkipped",
      source,
      message: `resource ${keyOf(resource)} was skipped from policy rule ${policyName}/${rule.name}`,
      action: "Resource Passed"
    };
  });
  out.push({
    regarding: refOfPolicy(p),
    related: resource,
    reason: "PolicySkipped",
    source,
    message: `resource ${keyOf(resource)} was skipped from rule ${rule.name} due to policy exceptions ${exceptions.join(", ")}`,
    action: "Resource Passed"
  });
  return out;
}
var enforced = (result, rule) => (result.ruleActions?.[rule.name] ?? result.response.validationFailureAction) === "Enforce";
function admissionEvents(responses, blocked) {
  const source = "kyverno-admission";
  const out = [];
  for (const result of responses) {
    const rules = result.response.rules;
    if (rules.length === 0 || str(result.response.resource.metadata?.name) === "") continue;
    if (rules.some(failed)) {
      for (const rule of rules) {
        if (blocked) {
          if (failed(rule) && enforced(result, rule)) out.push(policyFailEvent(source, result, rule, true));
          continue;
        }
        if (!failed(rule)) continue;
        out.push(policyFailEvent(source, result, rule, false));
        out.push(resourceViolationEvent(source, result, rule));
      }
    } else if (rules.every((r) => r.status === "skip")) {
      if (!blocked) for (const rule of rules) out.push(...exceptionEvents(source, result, rule));
    } else if (!blocked) out.push(policyAppliedEvent(source, result));
  }
  return out;
}
function scanEvents(results) {
  const source = "kyverno-scan";
  const out = [];
  for (const result of results) {
    if (str(result.response.resource.metadata?.name) === "") continue;
    let anyFailed = false;
    for (const rule of result.response.rules) {
      if (rule.status !== "pass" && rule.status !== "skip") {
        anyFailed = true;
        out.push(resourceViolationEvent(source, result, rule));
        out.push(policyFailEvent(source, result, rule, false));
      } else if (rule.status === "skip") out.push(...exceptionEvents(source, result, rule));
    }
    if (!anyFailed && result.response.rules.some((r) => r.status === "pass"))
      out.push(policyAppliedEvent(source, result));
  }
  return out;
}
function generatedEvents(policy, rule, object) {
  const target = refOfObject(object);
  return [
    {
      regarding: target,
      reason: "PolicyApplied",
      source: "kyverno-generate",
      message: `Created ${target.kind} ${target.name} as a result of applying policy ${policy.name}/${rule}`,
      action: "None"
    },
    {
      regarding: refOfPolicy(policy),
      related: target,
      reason: "PolicyApplied",
      source: "kyverno-generate",
      message: "resource generated",
      action: "Resource Generated"
    }
  ];
}
function mutatedEvent(policy, object) {
  return {
    regarding: refOfPolicy(policy),
    related: refOfObject(object),
    reason: "PolicyApplied",
    source: "kyverno-mutate",
    message: "resource mutated",
    action: "Resource Mutated"
  };
}
function backgroundFailedEvent(source, policy, rule, error, trigger) {
  return {
    regarding: refOfPolicy(policy),
    related: trigger,
    reason: "PolicyError",
    source,
    message: rule === "" ? `policy ${policy.name} error: ${error}` : `policy ${policy.name}/${rule} error: ${error}`,
    action: "None"
  };
}
function cleanupEvent(policy, object, error, deleting = false) {
  const target = refOfObject(object);
  const id = `${target.kind}/${target.namespace ?? ""}/${target.name}`;
  const { uid: _uid, ...related } = target;
  const base = { regarding: refOfPolicy(policy), related, source: "kyverno-cleanup" };
  if (error === void 0)
    return {
      ...base,
      reason: "PolicyApplied",
      action: "Resource Cleaned Up",
      message: deleting ? `successfully deleted the target resource ${id}` : `successfully cleaned up the target resource ${id}`
    };
  return {
    ...base,
    reason: "PolicyError",
    action: "None",
    message: deleting ? `failed to delete the target resource ${id}: ${error}` : `failed to clean up the target resource ${id}: ${error}`
  };
}

// src/io/events/event-info.ts
var EVENT_REASONS = ["PolicyViolation", "PolicyApplied", "PolicyError", "PolicySkipped"];
var DEFAULT_OMITTED_EVENTS = ["PolicyApplied", "PolicySkipped"];
var NO_EVENTS = { add: () => void 0 };

export {
  refOfObject,
  admissionEvents,
  scanEvents,
  generatedEvents,
  mutatedEvent,
  backgroundFailedEvent,
  cleanupEvent,
  EVENT_REASONS,
  DEFAULT_OMITTED_EVENTS,
  NO_EVENTS
};

// Finishes deleting namespaces as soon as they are marked for deletion. kube-controller-manager's
// namespace controller waits a fixed 5 s (`namespaceDeletionGracePeriod`, for HA API servers) before it
// even looks at a deleted namespace, and chainsaw waits for every namespace it deletes: a third of a
// passing suite's time here. On a single API server there is nothing to wait for, so this does what the
// controller does, at once: delete every namespaced collection, check each is empty, then remove the
// namespace's `kubernetes` finalizer. Anything left (an object with finalizers, a failed call) and it
// backs off: the controller then finishes the job as usual.
import { Agent, request } from 'node:https';

/** Starts polling the cluster's namespaces; `stop()` ends it. `counts` says how it went. */
export function startNamespaceFinisher({ server, ca, token, intervalMs = 200 }) {
  const url = new URL(server);
  const agent = new Agent({ keepAlive: true, maxSockets: 8 });
  const api = (method, path, body) =>
    new Promise((done) => {
      const req = request(
        {
          host: url.hostname,
          port: url.port,
          path,
          method,
          ca,
          agent,
          timeout: 10_000,
          headers: {
            authorization: `Bearer ${token}`,
            accept: 'application/json',
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8').on('data', (d) => {
            text += d;
          });
          res.on('end', () => {
            let json;
            try {
              json = JSON.parse(text);
            } catch {
              json = undefined;
            }
            done({ status: res.statusCode ?? 0, json });
          });
        },
      );
      req.on('error', () => done({ status: 0, json: undefined }));
      req.on('timeout', () => req.destroy());
      req.end(body === undefined ? undefined : JSON.stringify(body));
    });

  /** Every namespaced resource that can be listed and deleted as a collection, as API paths' prefixes. */
  async function collections() {
    const out = [];
    const add = async (base) => {
      const r = await api('GET', base);
      if (r.status !== 200) throw new Error(`discovery ${base}: ${r.status}`);
      for (const res of r.json?.resources ?? []) {
        const verbs = res.verbs ?? [];
        if (
          res.namespaced &&
          !res.name.includes('/') &&
          verbs.includes('list') &&
          verbs.includes('deletecollection')
        )
          out.push({ base, resource: res.name });
      }
    };
    const groups = await api('GET', '/apis');
    if (groups.status !== 200) throw new Error(`discovery /apis: ${groups.status}`);
    await Promise.all([
      add('/api/v1'),
      ...(groups.json?.groups ?? []).map((g) => add(`/apis/${g.preferredVersion.groupVersion}`)),
    ]);
    return out;
  }

  async function finish(ns) {
    // Discovery each time: a suite may have added a CRD whose objects live in this namespace.
    const all = await collections();
    const path = (c) => `${c.base}/namespaces/${encodeURIComponent(ns)}/${c.resource}`;
    const deleted = await Promise.all(all.map((c) => api('DELETE', path(c))));
    if (deleted.some((r) => r.status !== 200 && r.status !== 404)) return false;
    const left = await Promise.all(all.map((c) => api('GET', `${path(c)}?limit=1`)));
    if (left.some((r) => r.status !== 200 || (r.json?.items ?? []).length > 0)) return false;
    const current = await api('GET', `/api/v1/namespaces/${encodeURIComponent(ns)}`);
    if (current.status !== 200) return current.status === 404;
    const body = { ...current.json, spec: { ...current.json.spec, finalizers: [] } };
    const r = await api('PUT', `/api/v1/namespaces/${encodeURIComponent(ns)}/finalize`, body);
    return r.status === 200 || r.status === 404;
  }

  const counts = { finished: 0, leftToController: 0 };
  const busy = new Set();
  let stopped = false;
  const tick = async () => {
    const list = await api('GET', '/api/v1/namespaces');
    for (const item of list.json?.items ?? []) {
      const name = item.metadata?.name;
      if (item.metadata?.deletionTimestamp === undefined || busy.has(name)) continue;
      if (!(item.spec?.finalizers ?? []).includes('kubernetes')) continue;
      busy.add(name);
      finish(name)
        .catch(() => false)
        .then((ok) => {
          if (ok) counts.finished++;
          else counts.leftToController++;
          // A namespace it could not finish is not tried again for a while (the controller has it).
          setTimeout(() => busy.delete(name), ok ? 0 : 10_000).unref();
        });
    }
  };
  const loop = async () => {
    while (!stopped) {
      await tick().catch(() => undefined);
      await new Promise((done) => setTimeout(done, intervalMs));
    }
  };
  loop();
  return {
    counts,
    stop() {
      stopped = true;
      agent.destroy();
    },
  };
}

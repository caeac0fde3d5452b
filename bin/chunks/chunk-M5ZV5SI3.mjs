import { createRequire as __palisadeRequire } from 'node:module'; const require = __palisadeRequire(import.meta.url);

// src/io/cluster/discovery.ts
function table(group, version, list) {
  return (list.resources ?? []).map((r) => ({
    group,
    version,
    kind: r.kind,
    resource: r.name,
    namespaced: r.namespaced
  }));
}
async function discoverResources(rest) {
  const resources = table("", "v1", await rest.get("/api/v1"));
  const groups = await rest.get("/apis");
  const failed = [];
  const versions = (groups.groups ?? []).flatMap(
    (g) => (g.versions ?? []).map((v) => ({ group: g.name, ...v }))
  );
  const lists = await Promise.all(
    versions.map(async (v) => {
      try {
        return table(v.group, v.version, await rest.get(`/apis/${v.groupVersion}`));
      } catch (err) {
        failed.push({
          groupVersion: v.groupVersion,
          error: err instanceof Error ? err.message : String(err)
        });
        return [];
      }
    })
  );
  for (const list of lists) resources.push(...list);
  return { resources, failed };
}

export {
  discoverResources
};

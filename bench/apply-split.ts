// `apply`'s two threads split by kind, as a measurement (0007, thirteenth round; issue #17): the
// command's thread reads and decodes every piece of the workloads file and the worker evaluates, the
// values handed over as JSON text (`split`) or a structured clone (`clone`), against one thread
// (`mono`), both threads reading and evaluating as `apply` does (`dup`), and the command reading every
// piece but evaluating those the worker has no room for (`hybrid`). No output and no positions: only
// the violation count, the CPU of all threads and of each JS thread, and how long each thread waited.
// Bundle it as scripts/bundle.mjs does (js-yaml's parser-state plugin), then:
//   node <bundle>.mjs mono|split|clone|hybrid|dup <policy folder> <workloads file>
import { readFileSync } from 'node:fs';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { parseApplyArgs } from '../src/cli/commands/apply-args.js';
import { applyEnv, evaluateResource } from '../src/cli/commands/apply-evaluate.js';
import { loadApplyInputs } from '../src/cli/commands/apply-inputs.js';
import { isViolation, resourceLabel } from '../src/cli/output/apply-report.js';
import { readFileChunks } from '../src/io/files/file-chunks.js';
import { documentAsResource } from '../src/io/files/resources.js';
import { streamChunkDocuments } from '../src/io/yaml/load-documents.js';

const threadCpu = () => {
  const f = readFileSync('/proc/thread-self/stat', 'utf8').split(') ')[1]!.split(' ');
  return (Number(f[11]) + Number(f[12])) * 10;
};
const cpu = () => {
  const u = process.cpuUsage();
  return Math.round((u.user + u.system) / 1000);
};

async function env(policies: string, file: string) {
  const p = parseApplyArgs([policies, '-r', file]);
  if (!p.ok || p.help) throw new Error('args');
  const loaded = await loadApplyInputs(p.args, { stdin: () => '' } as never);
  return applyEnv(loaded, p.args);
}

async function evaluateAll(e: Awaited<ReturnType<typeof env>>, objects: unknown[], sources?: unknown[]) {
  let v = 0;
  const out: unknown[] = [];
  for (let i = 0; i < objects.length; i++) {
    const object = objects[i];
    const source = sources?.[i] ?? { value: object, file: 'f', index: i };
    const done = await evaluateResource(e, { object, source } as never);
    for (const row of done.rows)
      if (isViolation(row)) {
        v++;
        out.push({
          policy: row.policy,
          rule: row.rule,
          message: row.message,
          label: resourceLabel(row.resource),
        });
      }
  }
  return { v, out };
}

function parse(chunk: unknown) {
  const objects: unknown[] = [];
  const sources: unknown[] = [];
  const stream = streamChunkDocuments(chunk as never, { expandLists: true });
  for (let s = stream.next(); s.done !== true; s = stream.next()) {
    const as = documentAsResource(s.value);
    if ('resource' in as) {
      objects.push(as.resource.object);
      sources.push(as.resource.source);
    }
  }
  return { objects, sources };
}

function* pieces(file: string) {
  yield* readFileChunks(file, file, { documents: 250, minDocuments: 500 })!;
}

async function main() {
  const [mode, policies, file] = process.argv.slice(2) as [string, string, string];
  const t0 = Date.now();
  if (mode === 'mono') {
    const e = await env(policies, file);
    let v = 0;
    for (const c of pieces(file)) {
      const { objects, sources } = parse(c);
      v += (await evaluateAll(e, objects, sources)).v;
    }
    console.log(mode, 'violations', v, 'cpu', cpu(), 'wall', Date.now() - t0, 'main thread cpu', threadCpu());
    return;
  }
  const w = new Worker(new URL(import.meta.url), {
    workerData: { policies, file, mode },
    resourceLimits: { maxYoungGenerationSizeMb: 16 },
  });
  let inFlight = 0;
  let v = 0;
  let wake: (() => void) | undefined;
  let idle = 0;
  let wcpu = 0;
  w.on('message', (m: { v: number; idle: number; cpu: number }) => {
    v += m.v;
    idle = m.idle;
    wcpu = m.cpu;
    inFlight--;
    wake?.();
  });
  const e = mode === 'dup' || mode === 'hybrid' ? await env(policies, file) : undefined;
  let waited = 0;
  const wait = async () => {
    const t = Date.now();
    await new Promise<void>((r) => (wake = r));
    waited += Date.now() - t;
  };
  for (const p of pieces(file)) {
    while (inFlight >= 2) {
      if (e !== undefined) break;
      await wait();
    }
    if (e !== undefined && inFlight >= 2) {
      const q = parse(p);
      v += (await evaluateAll(e, q.objects, q.sources)).v;
      await new Promise((r) => setImmediate(r));
      continue;
    }
    inFlight++;
    w.postMessage(
      mode === 'dup' ? p : mode === 'clone' ? parse(p).objects : JSON.stringify(parse(p).objects),
    );
  }
  while (inFlight > 0) await wait();
  await w.terminate();
  console.log(
    mode,
    'violations',
    v,
    'cpu(all threads)',
    cpu(),
    'wall',
    Date.now() - t0,
    'main waited',
    waited,
    'worker idle',
    idle,
    'main thread cpu',
    threadCpu(),
    'worker thread cpu',
    wcpu,
  );
}

async function worker() {
  const { policies, file, mode } = workerData as { policies: string; file: string; mode: string };
  const e = await env(policies, file);
  let q = Promise.resolve();
  let idle = 0;
  let last = Date.now();
  let pending = 0;
  parentPort!.on('message', (m: unknown) => {
    if (pending === 0) idle += Date.now() - last;
    pending++;
    q = q.then(async () => {
      let objects: unknown[];
      const sources: unknown[] = [];
      if (mode === 'clone') objects = m as unknown[];
      else if (mode !== 'dup') objects = JSON.parse(m as string);
      else {
        const q = parse(m);
        objects = q.objects;
        sources.push(...q.sources);
      }
      const r = await evaluateAll(e, objects, sources);
      last = Date.now();
      pending--;
      parentPort!.postMessage({ v: r.v, out: r.out, idle, cpu: threadCpu() });
    });
  });
}

if (isMainThread) await main();
else await worker();

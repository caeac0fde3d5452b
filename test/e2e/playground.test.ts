/**
 * The playground end to end, in a real headless Chromium (Debian's, driven by playwright-core): the
 * page is built, served by `palisade playground`, loaded; a policy and a resource are typed; the
 * verdict, the highlighted line, the inline diagnostics, the mutation diff, a share link's round
 * trip, the suite export (run by `palisade test`) and the examples are checked, and no request may
 * leave the page after it loads. A screenshot of the main view and the measured figures (keystroke
 * to verdict for the 13 pod-security ClusterPolicies on one Pod, the page's transferred size) go to
 * test-output/playground/. Last, the page's engine bundle runs every suite of the conformance corpus
 * in the browser and must give `palisade apply`'s verdicts on the same inputs.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type Browser, chromium, type Page, type Request } from 'playwright-core';
import { applyCommand } from '../../src/cli/commands/apply.js';
import { testCommand } from '../../src/cli/commands/test.js';
import {
  browserSkipReason,
  buildPlayground,
  CHROMIUM,
  CORPUS,
  corpusSuites,
  type PlaygroundServer,
  ROOT,
  startPlaygroundServer,
} from '../support/playground.js';

const skip = browserSkipReason();
const OUTPUT = join(ROOT, 'test-output/playground');

const POLICY = `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: disallow-latest-tag
spec:
  validationFailureAction: Enforce
  rules:
  - name: require-image-tag
    match:
      any:
      - resources:
          kinds: [Pod]
    validate:
      message: "An image tag is required."
      pattern:
        spec:
          containers:
          - image: "*:*"
  - name: validate-image-tag
    match:
      any:
      - resources:
          kinds: [Pod]
    validate:
      message: "Using a mutable image tag e.g. 'latest' is not allowed."
      pattern:
        spec:
          containers:
          - image: "!*:latest"
---
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: add-team-label
spec:
  rules:
  - name: add-team
    match:
      any:
      - resources:
          kinds: [Pod]
    mutate:
      patchStrategicMerge:
        metadata:
          labels:
            +(team): platform
`;

const RESOURCE = `apiVersion: v1
kind: Pod
metadata:
  name: shop
  namespace: prod
spec:
  containers:
  - name: app
    image: shop:v1
  - name: sidecar
    image: proxy:latest
`;

/** Requests each page made after its `load` event: the page must make none. */
const lateRequests: string[] = [];
function watchRequests(page: Page): void {
  let loaded = false;
  page.on('load', () => {
    loaded = true;
  });
  page.on('request', (r: Request) => {
    if (loaded) lateRequests.push(`${r.method()} ${r.url()}`);
  });
}

async function waitForRun(page: Page, after: number): Promise<number> {
  await page.waitForFunction((n) => Number(document.body.dataset.runs ?? 0) > n, after, { timeout: 30_000 });
  return page.evaluate(() => Number(document.body.dataset.runs ?? 0));
}

const runsOf = (page: Page): Promise<number> => page.evaluate(() => Number(document.body.dataset.runs ?? 0));

/** Replaces an editor's text as typed input (one insertion, without the editor's auto-indent). */
async function typeInto(page: Page, editor: string, text: string): Promise<void> {
  const tab = page.locator(`#input-tabs [data-editor=${editor}]`);
  if ((await tab.count()) > 0) await tab.click();
  await page.locator(`#editor-${editor} .cm-content`).click();
  await page.keyboard.press('Control+A');
  const runs = await runsOf(page);
  if (text === '') await page.keyboard.press('Backspace');
  else await page.keyboard.insertText(text);
  await waitForRun(page, runs);
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
}
function percentile(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? Number.NaN;
}

describe('playground in headless Chromium', { skip }, () => {
  let browser: Browser;
  let server: PlaygroundServer;
  let page: Page;
  let site: string;
  const figures: Record<string, unknown> = {};

  before(async () => {
    site = buildPlayground();
    server = await startPlaygroundServer(site);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    watchRequests(page);
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    // What crossed the wire for each file the page loaded (compressed bodies and headers).
    const sizes: Promise<[string, number]>[] = [];
    page.on('requestfinished', (r) => {
      sizes.push(
        r.sizes().then((z) => [new URL(r.url()).pathname, z.responseBodySize + z.responseHeadersSize]),
      );
    });
    await page.goto(server.url, { waitUntil: 'load' });
    await waitForRun(page, 0);
    const files = Object.fromEntries(await Promise.all(sizes));
    figures.pageTransferredBytes = {
      total: Object.values(files).reduce((a, b) => a + b, 0),
      files,
    };
    assert.deepEqual(pageErrors, []);
    mkdirSync(OUTPUT, { recursive: true });
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    if (site !== undefined) rmSync(site, { recursive: true, force: true });
    if (Object.keys(figures).length > 0) {
      writeFileSync(join(OUTPUT, 'figures.json'), `${JSON.stringify(figures, null, 2)}\n`);
      console.log(`playground figures: ${JSON.stringify(figures)}`);
    }
  });

  test('the page opens on an example and shows its verdicts', async () => {
    assert.match((await page.textContent('#summary')) ?? '', /1 pass/);
    assert.equal(await page.locator('#verdicts tr[data-status=fail]').count(), 1);
  });

  test('a typed policy and resource get the verdict, the offending line and the mutation diff', async () => {
    await typeInto(page, 'policies', POLICY);
    await typeInto(page, 'resources', RESOURCE);
    const failed = page.locator('#verdicts tr[data-status=fail]');
    assert.equal(await failed.count(), 1);
    assert.match(
      (await failed.textContent()) ?? '',
      /disallow-latest-tag.*validate-image-tag.*Pod\/prod\/shop/s,
    );
    assert.equal(await page.locator('#verdicts tr[data-status=pass]').count(), 2);
    assert.match((await page.textContent('#summary')) ?? '', /Pod\/prod\/shop: denied/);
    // The failing field: the second container's image, line 11 of the resource.
    assert.equal(await failed.getAttribute('data-line'), '11');
    const marked = page.locator('#editor-resources .cm-line.pg-offending');
    assert.equal(await marked.count(), 1);
    assert.equal((await marked.textContent())?.trim(), 'image: proxy:latest');
    const lineNumber = await page.evaluate(() => {
      const line = document.querySelector('#editor-resources .cm-line.pg-offending');
      const lines = [...document.querySelectorAll('#editor-resources .cm-line')];
      return line === null ? -1 : lines.indexOf(line) + 1;
    });
    assert.equal(lineNumber, 11);
    // The mutation: a diff of the Pod with the added label.
    assert.match((await page.textContent('#mutations h3')) ?? '', /Mutated Pod\/prod\/shop/);
    assert.ok((await page.locator('#mutations .cm-changedLine').count()) >= 1, 'the diff marks the change');
    assert.match(
      (await page.locator('#mutations .cm-changedLine').allTextContents()).join('\n'),
      /team: platform/,
    );
    await page.screenshot({ path: join(OUTPUT, 'main.png') });
  });

  test("the project's diagnostics are shown inline at their line and column", async () => {
    const broken = POLICY.replace(
      '  validationFailureAction: Enforce',
      '  validationFailureAction: Sometimes',
    );
    await typeInto(page, 'policies', broken);
    const problems = (await page.textContent('#problems')) ?? '';
    assert.match(problems, /Policies 6:\d+/);
    assert.match(problems, /validationFailureAction/);
    assert.ok((await page.locator('#editor-policies .cm-lintRange-error').count()) >= 1);
    await typeInto(page, 'policies', 'kind: [unclosed\n');
    assert.match((await page.textContent('#problems')) ?? '', /Policies \d+:\d+ yaml\/syntax-error/);
    await typeInto(page, 'policies', POLICY);
    assert.equal(await page.textContent('#problems'), '');
    // A problem in a hidden editor: its tab says so.
    await typeInto(page, 'values', 'apiVersion: cli.kyverno.io/v1alpha1\nkind: Values\nnope: 1\n');
    await page.click('#input-tabs [data-editor=resources]');
    assert.equal(await page.getAttribute('#input-tabs [data-editor=values]', 'data-problems'), '1');
    assert.match((await page.textContent('#problems')) ?? '', /Values 3:1/);
    await typeInto(page, 'values', '');
    assert.equal(await page.getAttribute('#input-tabs [data-editor=values]', 'data-problems'), null);
    await page.click('#input-tabs [data-editor=resources]');
  });

  test('a share link holds the whole state and opens it again', async () => {
    let runs = await runsOf(page);
    await page.selectOption('#operation', 'UPDATE');
    await waitForRun(page, runs);
    runs = await runsOf(page);
    await page.selectOption('#mode', 'admission');
    await waitForRun(page, runs);
    await page.click('#share');
    // The link is written once the state is compressed (asynchronously); then the dialog opens.
    await page.locator('#share-dialog[open]').waitFor();
    const link = await page.inputValue('#share-url');
    assert.match(link, /#s1\.[A-Za-z0-9_-]+$/);
    await page.keyboard.press('Escape');
    const before = await page.evaluate(() => window.palisade.state());
    const other = await browser.newPage();
    watchRequests(other);
    await other.goto(link, { waitUntil: 'load' });
    await waitForRun(other, 0);
    assert.deepEqual(await other.evaluate(() => window.palisade.state()), before);
    assert.equal(before.operation, 'UPDATE');
    assert.equal(before.mode, 'admission');
    assert.equal(await other.locator('#verdicts tr[data-status=fail]').count(), 1);
    await other.close();
    for (const [select, value] of [
      ['#operation', ''],
      ['#mode', ''],
    ]) {
      runs = await runsOf(page);
      await page.selectOption(select as string, value as string);
      await waitForRun(page, runs);
    }
  });

  test('the export is a suite `palisade test` passes', async () => {
    await page.click('#export');
    const files = await page.$$eval('#export-files pre', (pres) =>
      pres.map((p) => ({ name: (p as HTMLElement).dataset.file ?? '', text: p.textContent ?? '' })),
    );
    await page.keyboard.press('Escape');
    assert.deepEqual(
      files.map((f) => f.name),
      ['kyverno-test.yaml', 'policies.yaml', 'resources.yaml'],
    );
    const dir = mkdtempSync(join(tmpdir(), 'palisade-export-'));
    try {
      for (const f of files) writeFileSync(join(dir, f.name), f.text);
      const run = await testCommand([dir], { stdin: () => '' });
      assert.equal(run.exitCode, 0, run.stdout + run.stderr);
      assert.match(run.stdout, /3 tests passed/i);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the examples are searchable by title and category and load into the editors', async () => {
    await page.click('#open-examples');
    await page.fill('#examples-search', 'latest tag');
    const items = page.locator('#examples-list button');
    assert.ok((await items.count()) >= 1, 'an example matches "latest tag"');
    const first = (await items.first().textContent()) ?? '';
    assert.match(first, /latest/i);
    await page.fill('#examples-search', 'pod security');
    assert.ok((await items.count()) >= 5, 'the Pod Security category has examples');
    await page.fill('#examples-search', 'disallow privileged');
    const runs = await runsOf(page);
    await items.first().click();
    await waitForRun(page, runs);
    assert.match(await page.evaluate(() => window.palisade.state().policies), /privileged/i);
    assert.ok((await page.locator('#verdicts tr').count()) >= 1);
  });

  test('keystroke to verdict for the 13 pod-security ClusterPolicies on one Pod', async () => {
    const pss = readdirSync(join(CORPUS, 'pod-security/baseline'))
      .map((d) => `pod-security/baseline/${d}`)
      .concat(
        readdirSync(join(CORPUS, 'pod-security/restricted')).map((d) => `pod-security/restricted/${d}`),
      );
    assert.equal(pss.length, 13);
    const { readFileSync } = await import('node:fs');
    const text = pss
      .map((d) => readFileSync(join(CORPUS, d, `${d.split('/').pop()}.yaml`), 'utf8').trim())
      .join('\n---\n');
    await typeInto(page, 'policies', `${text}\n`);
    await typeInto(page, 'resources', RESOURCE.replace('name: shop', 'name: shop1'));
    assert.equal((await page.locator('#verdicts tr').count()) >= 13, true);
    // Keystrokes in the resource (the policies stay compiled), each waited for.
    const editor = page.locator('#editor-resources .cm-content');
    await editor.click();
    await page.keyboard.press('Control+End');
    const timed = async (n: number): Promise<number[]> => {
      const start = await page.evaluate(() => window.palisade.timings.length);
      for (let i = 0; i < n; i++) {
        const runs = await runsOf(page);
        await page.keyboard.type('#');
        await waitForRun(page, runs);
        await page.keyboard.press('Backspace');
        await waitForRun(page, runs + 1);
      }
      return page.evaluate((s) => window.palisade.timings.slice(s), start);
    };
    const resourceKeys = await timed(15);
    // Keystrokes in the policies editor: the set is compiled again each time.
    await page.locator('#editor-policies .cm-content').click();
    await page.keyboard.press('Control+End');
    const policyKeys = await timed(5);
    figures.pssKeystrokeToVerdictMs = {
      resourceEditor: {
        median: median(resourceKeys),
        p95: percentile(resourceKeys, 95),
        n: resourceKeys.length,
      },
      policyEditor: { median: median(policyKeys), p95: percentile(policyKeys, 95), n: policyKeys.length },
    };
    // The aim is 50 ms; the bound here only catches a regression by an order of magnitude on a busy machine.
    assert.ok(median(resourceKeys) < 500, `median ${median(resourceKeys)} ms`);
  });

  test('the page makes no request after it has loaded, and its CSP forbids any', async () => {
    assert.deepEqual(lateRequests, []);
    const probe = await browser.newPage();
    await probe.goto(server.url, { waitUntil: 'load' });
    const outcome = await probe.evaluate(() =>
      fetch('http://127.0.0.1:9/').then(
        () => 'sent',
        (e: Error) => e.name,
      ),
    );
    assert.equal(outcome, 'TypeError', 'connect-src none refuses the fetch');
    await probe.close();
  });

  test("on every suite of the conformance corpus, the page's verdicts equal `palisade apply`'s", async () => {
    const { suites, leftOut } = corpusSuites();
    assert.ok(suites.length > 300, `corpus suites found: ${suites.length}`);
    const key = (r: { policy: string; rule: string; resource: string; status: string; message: string }) =>
      `${r.policy} | ${r.rule} | ${r.resource} | ${r.status} | ${r.message}`;
    const mismatches: string[] = [];
    let compared = 0;
    let rows = 0;
    const started = performance.now();
    for (let i = 0; i < suites.length; i += 20) {
      const batch = suites.slice(i, i + 20);
      const pageRows = await page.evaluate(
        async (states) => {
          const out: string[][] = [];
          for (const s of states) {
            const r = await window.palisade.evaluate(s);
            out.push(
              r.rows
                .map((x) => `${x.policy} | ${x.rule} | ${x.resource} | ${x.status} | ${x.message}`)
                .sort(),
            );
          }
          return out;
        },
        batch.map((s) => s.state),
      );
      for (const [j, suite] of batch.entries()) {
        const args = [
          ...suite.policyFiles,
          ...suite.resourceFiles.flatMap((f) => ['-r', f]),
          ...(suite.valuesFile !== undefined ? ['-f', suite.valuesFile] : []),
          ...(suite.contextFile !== undefined ? ['--context-file', suite.contextFile] : []),
          '--exceptions-within-policies',
          '-o',
          'json',
        ];
        const cli = await applyCommand(args, { stdin: () => '' });
        let cliRows: string[];
        try {
          const parsed = JSON.parse(cli.stdout) as {
            results: {
              policy: string;
              rule: string;
              resource: { kind: string; namespace?: string; name: string };
              result: string;
              message: string;
            }[];
          };
          cliRows = parsed.results
            .map((r) =>
              key({
                policy: r.policy,
                rule: r.rule,
                resource: `${r.resource.kind}/${r.resource.namespace ? `${r.resource.namespace}/` : ''}${r.resource.name}`,
                status: r.result,
                message: r.message,
              }),
            )
            .sort();
        } catch {
          cliRows = [`<no JSON: exit ${cli.exitCode}>`];
        }
        compared++;
        rows += cliRows.length;
        if (JSON.stringify(cliRows) !== JSON.stringify(pageRows[j])) {
          const cliSet = new Set(cliRows);
          const pageSet = new Set(pageRows[j]);
          mismatches.push(
            `${suite.name}\n  cli only: ${cliRows
              .filter((r) => !pageSet.has(r))
              .slice(0, 3)
              .join('\n    ')}\n  page only: ${(pageRows[j] ?? [])
              .filter((r) => !cliSet.has(r))
              .slice(0, 3)
              .join('\n    ')}`,
          );
        }
      }
    }
    figures.corpus = {
      suites: compared,
      leftOut: leftOut.length,
      rows,
      mismatches: mismatches.length,
      seconds: Math.round((performance.now() - started) / 100) / 10,
    };
    assert.deepEqual(mismatches, []);
  });
});

if (skip !== undefined) console.log(`playground browser tests skipped: ${skip}`);

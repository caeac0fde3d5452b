/**
 * @module `palisade playground`: serves the built playground (dist-playground/) on 127.0.0.1 until
 * interrupted. Like `serve`, a long-running entry the composition root loads on demand; this is its
 * only contact with the process (argv, output, signals, exit code).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isPlaygroundFolder, serveStaticSite } from '../io/static-site.js';
import { EXIT_INPUT, EXIT_OK, EXIT_USAGE } from './exit-codes.js';
import { PLAYGROUND_HELP, parsePlaygroundArgs } from './playground-args.js';

/** dist-playground/ of the installation this module runs from (src/, dist/ or the bin/ bundle). */
function installedFolder(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'package.json'))) return join(dir, 'dist-playground');
    dir = dirname(dir);
  }
  return undefined;
}

function openBrowser(url: string): void {
  const [cmd, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '', url]]
        : ['xdg-open', [url]];
  try {
    const child = spawn(cmd, args, { detached: true, stdio: 'ignore' });
    child.on('error', () => process.stderr.write(`could not open a browser; visit ${url}\n`));
    child.unref();
  } catch {
    process.stderr.write(`could not open a browser; visit ${url}\n`);
  }
}

export async function runPlayground(argv: readonly string[]): Promise<void> {
  const parsed = parsePlaygroundArgs(argv);
  if (!parsed.ok) {
    process.stderr.write(`Error: ${parsed.error}\nRun 'palisade playground --help' for usage.\n`);
    process.exitCode = EXIT_USAGE;
    return;
  }
  const args = parsed.args;
  if (args.help) {
    process.stdout.write(`${PLAYGROUND_HELP}\n`);
    process.exitCode = EXIT_OK;
    return;
  }
  const dir = args.dir !== undefined ? resolve(args.dir) : installedFolder();
  if (dir === undefined || !isPlaygroundFolder(dir)) {
    process.stderr.write(
      `Error: no built playground in ${dir ?? 'this installation'}; run 'npm run playground:build' or pass --dir\n`,
    );
    process.exitCode = EXIT_INPUT;
    return;
  }
  let site: Awaited<ReturnType<typeof serveStaticSite>>;
  try {
    site = await serveStaticSite({ dir, host: '127.0.0.1', port: args.port });
  } catch (err) {
    process.stderr.write(`Error: cannot listen on 127.0.0.1:${args.port}: ${(err as Error).message}\n`);
    process.exitCode = EXIT_INPUT;
    return;
  }
  process.stdout.write(`Palisade playground: ${site.url} (Ctrl-C to stop)\n`);
  if (args.open) openBrowser(site.url);
  await new Promise<void>((done) => {
    const stop = (): void => {
      void site.close().then(done);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  process.exitCode = EXIT_OK;
}

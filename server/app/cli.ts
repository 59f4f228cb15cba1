// `npm start`: builds the site if needed, starts the runner on loopback, prints the one
// ready line and opens the browser. Flags, environment and exit codes: docs/cli.md.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isLoopbackHost, parseCliArgs } from './cli-args.ts';
import { writeLaunchPage, type LaunchPage } from './launch-page.ts';
import { stderrLog } from './log.ts';
import { openBrowser } from './open-browser.ts';
import { startRunner, type RunningRunner } from '../runner.ts';
import { cliText } from './runner-texts.ts';
import { buildSite, siteNeedsBuild } from './site-build.ts';
import { BadJoinUrlError } from '../classroom/classroom.ts';

export const EXIT_OK = 0;
export const EXIT_START_FAILED = 1;
export const EXIT_BAD_ARGUMENTS = 2;

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

async function main(): Promise<number> {
  const parsed = parseCliArgs(process.argv.slice(2), process.env);
  if (!parsed.ok) {
    console.error(cliText(parsed.error, parsed.values));
    return EXIT_BAD_ARGUMENTS;
  }
  const options = parsed.options;
  if (options.help) {
    console.log(cliText('usage'));
    return EXIT_OK;
  }

  const distDir = resolve(ROOT, 'dist');
  if (options.build && siteNeedsBuild(ROOT, distDir)) {
    console.error(cliText('building'));
    const code = await buildSite(ROOT);
    if (code !== 0) {
      console.error(cliText('buildFailed', { code }));
      return EXIT_START_FAILED;
    }
  }

  if (!isLoopbackHost(options.host)) console.error(cliText('hostWarning', { host: options.host }));

  if (options.join) console.error(cliText('classJoining', { url: options.join }));

  let runner: RunningRunner;
  try {
    runner = await startRunner({
      host: options.host,
      port: options.port,
      staticDir: distDir,
      fixturesDir: resolve(ROOT, 'fixtures'),
      class: options.join ? { joinUrl: options.join, seat: options.seat } : undefined,
      log: options.verbose ? stderrLog('info') : stderrLog('error'),
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (error instanceof BadJoinUrlError) console.error(cliText('joinBadUrl', { url: error.url }));
    else if (code === 'EADDRINUSE') console.error(cliText('portInUse', { port: options.port }));
    else console.error(cliText('startFailed', { message: error instanceof Error ? error.message : String(error) }));
    return EXIT_START_FAILED;
  }

  // The only line on stdout, and the only place the token is ever printed.
  process.stdout.write(`Workshop ready: ${runner.url}\n`);
  // The browser gets a private file that forwards to the link, never the token as an argument.
  let launchPage: LaunchPage | undefined;
  if (options.open) {
    launchPage = await writeLaunchPage(runner.url).catch(() => undefined);
    if (!launchPage || !(await openBrowser(launchPage.fileUrl))) console.error(cliText('openFailed'));
  }

  return new Promise<number>((resolveExit) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) {
        // A second Ctrl-C: do not wait any longer.
        process.exit(signal === 'SIGINT' ? 130 : 143);
      }
      stopping = true;
      console.error(cliText('stopping'));
      runner.close().then(
        async () => {
          await launchPage?.remove().catch(() => {});
          resolveExit(EXIT_OK);
        },
        (error) => {
          console.error(cliText('startFailed', { message: error instanceof Error ? error.message : String(error) }));
          resolveExit(EXIT_START_FAILED);
        },
      );
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    process.on('SIGHUP', stop);
  });
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(cliText('startFailed', { message: error instanceof Error ? error.message : String(error) }));
    process.exit(EXIT_START_FAILED);
  },
);

// `npm start`: builds the site if needed, starts the runner on loopback, prints the one
// ready line and opens the browser. Flags, environment and exit codes: docs/cli.md.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isLoopbackHost, parseCliArgs } from './cli-args.ts';
import { writeLaunchPage, type LaunchPage } from './launch-page.ts';
import { stderrLog } from './log.ts';
import { openBrowser } from './open-browser.ts';
import { startRunner, type RunningRunner } from '../runner.ts';
import { cliText } from './runner-texts.ts';
import { buildSite, logTail, SITE_BUILD_LOG, siteNeedsBuild } from './site-build.ts';
import { defaultStateDir, writeRunnerState } from '../security/state-file.ts';
import { UnsafeFolderError } from '../workspace/private-root.ts';
import { BadJoinUrlError, defaultSeatName } from '../classroom/classroom.ts';
import { OutboxDiskError, UnsafeOutboxError } from '../classroom/outbox.ts';
import { OutboxInUseError, OutboxLockError } from '../classroom/outbox-lock.ts';

export const EXIT_OK = 0;
export const EXIT_START_FAILED = 1;
export const EXIT_BAD_ARGUMENTS = 2;

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * What to do about a folder the runner refused. The class outbox holds the seat credential and
 * the events not sent yet: its texts say how to mend it, never to remove it.
 */
function unsafeFolderText(error: UnsafeFolderError): string {
  const values = { path: error.path, reason: cliText(`unsafeFolder.${error.reason}`) };
  if (!(error instanceof UnsafeOutboxError)) return cliText('unsafeFolder', values);
  if (error.what === 'file') return cliText('unsafeOutboxFile', values);
  return cliText('unsafeOutboxFolder', { ...values, fix: cliText(`unsafeOutboxFix.${error.reason}`, values) });
}

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
    // One progress line; the build's own output goes to a log file (or, with --verbose, here).
    const logFile = options.verbose ? undefined : resolve(ROOT, SITE_BUILD_LOG);
    console.error(logFile ? cliText('building', { log: SITE_BUILD_LOG }) : cliText('buildingVerbose'));
    const code = await buildSite(ROOT, { logFile });
    if (code !== 0) {
      if (logFile) console.error(`${cliText('buildLogTail', { log: SITE_BUILD_LOG })}\n${logTail(logFile)}`);
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
    else if (error instanceof UnsafeFolderError) console.error(unsafeFolderText(error));
    // Opening the outbox rewrites it (compaction): the file it names is a temporary one,
    // removed again, so the reader gets its folder.
    else if (error instanceof OutboxDiskError) console.error(cliText('outboxDiskFull', { folder: dirname(error.file) }));
    // Refused as an unsafe outbox is: the runner does not start, so that the reader sees why at
    // once, and the other runner, which holds the seat, goes on undisturbed. The text names the
    // lock too: where a process's start time is unknown, an unrelated process that got a gone
    // runner's pid holds it until it ends, unless the reader removes it.
    else if (error instanceof OutboxInUseError) console.error(cliText('outboxInUse', { pid: error.pid, seat: options.seat ?? defaultSeatName(), url: options.join ?? '', lock: error.lock }));
    // A lock the runner does not take (a text it cannot read, a link), or could not (runners
    // that keep taking it, leftover breakers): each reason has its text, naming the file.
    else if (error instanceof OutboxLockError) console.error(cliText(`outboxLock.${error.reason}`, { path: error.path }));
    else console.error(cliText('startFailed', { message: error instanceof Error ? error.message : String(error) }));
    return EXIT_START_FAILED;
  }

  // From here on every stop signal runs the whole shutdown, also one that comes before the ready
  // line is out or while the browser opens: a signal's default action would end the process
  // with its sessions' cleanup, its state file and its class outbox's lock left behind.
  let launchPage: LaunchPage | undefined;
  let removeState: () => Promise<void> = async () => {};
  let stopping = false;
  let resolveExit: (code: number) => void = () => {};
  const exited = new Promise<number>((resolve) => (resolveExit = resolve));
  // Idempotent: one SIGTERM to the process group arrives twice when npm relays it, and
  // Ctrl-C reaches every process of the group. Every signal starts the same shutdown;
  // none cuts it short, so the sessions always end (issue 10, hole 6).
  const stop = () => {
    if (stopping) return;
    stopping = true;
    clearInterval(parentWatch);
    console.error(cliText('stopping'));
    // A shutdown that hangs (a stuck Docker) must not keep the port: exit anyway; the
    // next start cleans up what is left (server/session/containment.ts).
    setTimeout(() => process.exit(EXIT_START_FAILED), SHUTDOWN_DEADLINE_MS).unref();
    runner.close().then(
      async () => {
        await launchPage?.remove().catch(() => {});
        await removeState().catch(() => {});
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
  // When whatever started us is gone (npm killed with SIGKILL, a closed terminal that
  // sent no signal), we are re-parented: stop rather than serve shells to nobody.
  const parent = process.ppid;
  const parentWatch = setInterval(() => {
    if (process.ppid !== parent) stop();
  }, PARENT_WATCH_MS);
  parentWatch.unref();

  // `npm run open` finds this runner through a private state file (server/security/state-file.ts).
  removeState = await writeRunnerState(defaultStateDir(), { origin: runner.origin, token: runner.token, pid: process.pid, port: runner.port }).catch(
    () => async () => {},
  );
  // Stopped while the file was being written: the shutdown may have run its removal already.
  if (stopping) {
    await removeState().catch(() => {});
    return exited;
  }
  // The only line on stdout: a one-time launch link (the runner's own token is never printed).
  // One link for both: the printed one and the page the browser opens. Each read of
  // runner.url makes a new code, and a second one would stay valid after the browser is in.
  const launchUrl = runner.url;
  process.stdout.write(`Workshop ready: ${launchUrl}\n`);
  // The browser gets a private file that forwards to the link, never the token as an argument.
  if (options.open) {
    const page = await writeLaunchPage(launchUrl).catch(() => undefined);
    if (stopping) await page?.remove().catch(() => {});
    else {
      launchPage = page;
      if (!page || !(await openBrowser(page.fileUrl))) console.error(cliText('openFailed'));
    }
  }
  return exited;
}

/** How often the runner checks that the process that started it still runs. */
const PARENT_WATCH_MS = 500;
/** Longest a shutdown may take before the runner exits regardless. */
const SHUTDOWN_DEADLINE_MS = 10_000;

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(cliText('startFailed', { message: error instanceof Error ? error.message : String(error) }));
    process.exit(EXIT_START_FAILED);
  },
);

// `npm run open`: a fresh one-time launch link for the runner that is already running,
// opened in the browser (or only printed with --print). A launch link works once, so a
// link in the browser history or a screenshot opens nothing; this is how the reader gets
// in again, from another browser or after clearing its storage. Docs: docs/cli.md.
import { authLaunchResponseSchema, AUTH_LAUNCH_PATH } from '../../contracts/http-api.ts';
import { defaultStateDir, readRunnerStates } from '../security/state-file.ts';
import { writeLaunchPage } from './launch-page.ts';
import { openBrowser } from './open-browser.ts';
import { cliText } from './runner-texts.ts';

async function main(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(cliText('openUsage'));
    return 0;
  }
  const unknown = argv.find((arg) => !['--print', '--port'].includes(arg) && !/^\d+$/.test(arg));
  if (unknown) {
    console.error(cliText('badArgument', { arg: unknown }));
    return 2;
  }
  const portAt = argv.indexOf('--port');
  const port = portAt === -1 ? undefined : Number(argv[portAt + 1]);
  const states = (await readRunnerStates(defaultStateDir())).filter((s) => port === undefined || s.port === port);
  const state = states.sort((a, b) => b.pid - a.pid)[0];
  if (!state) {
    console.error(cliText('openNoRunner'));
    return 1;
  }
  let url: string;
  try {
    const response = await fetch(`${state.origin}${AUTH_LAUNCH_PATH}`, { method: 'POST', headers: { authorization: `Bearer ${state.token}` } });
    url = authLaunchResponseSchema.parse(await response.json()).url;
    // Whatever now listens on a dead runner's port must not choose what the browser opens.
    if (!url.startsWith(`${state.origin}/#launch=`)) throw new Error('not a launch link of this runner');
  } catch {
    console.error(cliText('openNoRunner'));
    return 1;
  }
  process.stdout.write(`Workshop ready: ${url}\n`);
  if (argv.includes('--print')) return 0;
  const page = await writeLaunchPage(url).catch(() => undefined);
  if (!page || !(await openBrowser(page.fileUrl))) console.error(cliText('openFailed'));
  // The browser reads the page at once; remove it after a moment so no link lies around.
  setTimeout(() => void page?.remove(), 10_000).unref();
  return 0;
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});

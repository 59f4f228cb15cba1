// `npm run class`: starts the class server and prints the join line for the projector and
// the one-time dashboard link for the trainer. Flags: docs/cli.md; the model: docs/classroom.md.
import { isLoopback, parseClassArgs } from './cli-args.ts';
import { classText } from './texts.ts';
import { startClassServer, type RunningClassServer } from '../class-server.ts';
import { StoreInUseError, StoreVersionError } from '../store/class-store.ts';

async function main(): Promise<number> {
  const parsed = parseClassArgs(process.argv.slice(2), process.env);
  if (!parsed.ok) {
    console.error(classText(parsed.error, parsed.values));
    return 2;
  }
  const options = parsed.options;
  if (options.help) {
    console.log(classText('usage', { dataDir: options.dataDir }));
    return 0;
  }
  if (!isLoopback(options.host)) console.error(classText('lanWarning', { host: options.host }));
  let server: RunningClassServer;
  try {
    server = await startClassServer({ host: options.host, port: options.port, name: options.name, dataDir: options.dataDir });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') console.error(classText('portInUse', { port: options.port }));
    else if (error instanceof StoreInUseError) console.error(classText('dataFolderInUse', { dataDir: error.dataDir }));
    else if (error instanceof StoreVersionError) console.error(classText('newerDataFolder', { dataDir: error.dataDir, found: error.found, known: error.known }));
    else console.error(classText('startFailed', { message: error instanceof Error ? error.message : String(error) }));
    return 1;
  }
  process.stdout.write(`${classText('ready', { name: server.store.meta('name') ?? '' })}\n`);
  process.stdout.write(`${classText('join', { url: server.joinUrl })}\n`);
  process.stdout.write(`${classText('trainer', { link: server.trainerLink })}\n`);

  return new Promise<number>((resolveExit) => {
    const stop = () => {
      console.error(classText('stopping', { dataDir: options.dataDir }));
      server.close().then(
        () => resolveExit(0),
        () => resolveExit(1),
      );
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(classText('startFailed', { message: error instanceof Error ? error.message : String(error) }));
    process.exit(1);
  },
);

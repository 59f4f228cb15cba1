// `npm run class` on a data folder that a newer class server wrote (the trainer went back to an
// older copy of the workshop) does not start: it says, in the trainer's language, what to do, and
// leaves the folder as it was for the newer version. The real CLI process and its SQLite file.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { after, test } from 'node:test';
import { ClassStore } from '../../class/store/class-store.ts';
import { removeDir, tempDir } from './class-harness.ts';

const dirs: string[] = [];
after(async () => {
  for (const dir of dirs) await removeDir(dir);
});

/** A folder this code wrote, then marked as written by the next version of the store. */
async function newerFolder(): Promise<{ dataDir: string; version: number }> {
  const dataDir = await tempDir('newer-folder');
  dirs.push(dataDir);
  new ClassStore(dataDir).close();
  const db = new DatabaseSync(join(dataDir, 'class.sqlite'));
  const { user_version: known } = db.prepare('PRAGMA user_version').get() as { user_version: number };
  db.exec(`PRAGMA user_version = ${known + 1}`);
  db.close();
  return { dataDir, version: known + 1 };
}

/** Runs `npm run class` as the trainer would, until it exits; one that starts instead is stopped and reported. */
function runClass(dataDir: string, lang: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'class/app/cli.ts', '--port', '0', '--data', dataDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LANG: lang, LC_ALL: '', LC_MESSAGES: '' },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    if (/dashboard#trainer=/.test(stdout)) child.kill();
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => child.kill(), 60_000);
  return new Promise((resolveRun) =>
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolveRun({ code, stdout, stderr });
    }),
  );
}

for (const [lang, says] of [
  ['en_US.UTF-8', /newer version of the workshop.*--data/s],
  ['de_DE.UTF-8', /neueren Version des Workshops.*--data/s],
] as const) {
  test(`npm run class refuses a data folder of a newer class server and says what to do (${lang})`, async () => {
    const { dataDir, version } = await newerFolder();
    const run = await runClass(dataDir, lang);
    assert.equal(run.stdout, '', 'no class is ready, no join line');
    assert.equal(run.code, 1, `exit code 1 (stderr: ${run.stderr})`);
    assert.match(run.stderr, says);
    assert.ok(run.stderr.includes(dataDir), `names the folder: ${run.stderr}`);
    const db = new DatabaseSync(join(dataDir, 'class.sqlite'));
    assert.equal((db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version, version, 'the folder is left to the newer version');
    db.close();
  });
}

// `npm run class` on a data folder that a newer class server wrote (the trainer went back to an
// older copy of the workshop) does not start: it says, in the trainer's language, what to do, and
// leaves the folder as it was for the newer version. The real CLI process and its SQLite file.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { after, test } from 'node:test';
import { ClassStore } from '../../class/store/class-store.ts';
import { removeDir, runClassOnce, tempDir } from './class-harness.ts';

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

for (const [lang, says] of [
  ['en_US.UTF-8', /newer version of the workshop.*--data/s],
  ['de_DE.UTF-8', /neueren Version des Workshops.*--data/s],
] as const) {
  test(`npm run class refuses a data folder of a newer class server and says what to do (${lang})`, async () => {
    const { dataDir, version } = await newerFolder();
    const run = await runClassOnce(dataDir, lang);
    assert.equal(run.stdout, '', 'no class is ready, no join line');
    assert.equal(run.code, 1, `exit code 1 (stderr: ${run.stderr})`);
    assert.match(run.stderr, says);
    assert.ok(run.stderr.includes(dataDir), `names the folder: ${run.stderr}`);
    const db = new DatabaseSync(join(dataDir, 'class.sqlite'));
    assert.equal((db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version, version, 'the folder is left to the newer version');
    db.close();
  });
}

// The outbox file holds the seat credential, so its folder gets the checks the runner's state
// file gets (server/security/state-file.ts): a private folder (0700, ours, not a link), files
// 0600, and no symbolic link followed. An unsafe folder is refused with what to do, and what
// it holds is left as it was.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { chmod, lstat, mkdtemp, readdir, readFile, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { ClassEvent, JoinResponse } from '../../contracts/class-api.ts';
import { Outbox } from '../../server/classroom/outbox.ts';
import { UnsafeFolderError } from '../../server/workspace/private-root.ts';
import { npmStart, outboxOnDisk, removeDir, startClassProcess, tempDir, waitFor } from './class-harness.ts';

const folders: string[] = [];
after(async () => {
  for (const folder of folders) await rm(folder, { recursive: true, force: true });
});

async function folder(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'outbox-privacy-'));
  folders.push(dir);
  return dir;
}

const SEAT: JoinResponse = { seatId: randomUUID(), seatName: 'Kim', credential: 'c'.repeat(43), className: 'Room 2' };
const EVENT: ClassEvent = { id: randomUUID(), at: Date.now(), body: { kind: 'step', step: 'say-hello', status: 'passed', attempt: 1 } };
/** An outbox file of the format runners wrote before the journal. */
const EARLIER = JSON.stringify({ seat: SEAT, attempts: { 'say-hello': 1 }, events: [EVENT] });

/** Every file in a folder with its bytes: to show that a refusal changed nothing. */
async function contents(dir: string): Promise<Record<string, string>> {
  const names = (await readdir(dir)).sort();
  return Object.fromEntries(await Promise.all(names.map(async (name) => [name, await readFile(join(dir, name), 'utf8')] as const)));
}

test('a new outbox folder is 0700 and its file 0600, also when an earlier file was looser', async () => {
  const dir = join(await folder(), 'classroom');
  const outbox = await Outbox.open(dir, 'class-new');
  outbox.add(EVENT);
  assert.equal((await lstat(dir)).mode & 0o777, 0o700);
  // The journal and its lock.
  const files = await readdir(dir);
  assert.equal(files.length, 2, files.join(', '));
  for (const file of files) assert.equal((await lstat(join(dir, file))).mode & 0o777, 0o600, `${file} is the user's alone`);

  const older = await folder();
  await writeFile(join(older, 'class-old.json'), EARLIER, { mode: 0o644 });
  await Outbox.open(older, 'class-old');
  for (const name of await readdir(older)) assert.equal((await lstat(join(older, name))).mode & 0o777, 0o600, `${name} is the user's alone from the start`);
});

test('a folder others can read is refused with what to do, and nothing in it changes', async () => {
  const dir = await folder();
  await writeFile(join(dir, 'class-shared.json'), EARLIER, { mode: 0o600 });
  await chmod(dir, 0o755);
  const before = await contents(dir);
  await assert.rejects(Outbox.open(dir, 'class-shared'), (error: Error) => {
    assert.ok(error instanceof UnsafeFolderError && error.reason === 'shared', String(error));
    assert.ok(error.message.includes(dir), error.message);
    assert.match(error.message, /chmod 700/);
    return true;
  });
  assert.deepEqual(await contents(dir), before, 'the refused folder is left as it was');
  // Mended as the message says: everything is still there.
  await chmod(dir, 0o700);
  const outbox = await Outbox.open(dir, 'class-shared');
  assert.deepEqual(outbox.seat, SEAT);
  assert.deepEqual(outbox.peek(10), [EVENT]);
});

test('a folder that is a symbolic link is refused', async () => {
  const real = await folder();
  const link = join(await folder(), 'classroom');
  await symlink(real, link);
  await assert.rejects(Outbox.open(link, 'class-link'), (error: Error) => error instanceof UnsafeFolderError && error.reason === 'symlink');
  assert.deepEqual(await readdir(real), []);
});

test('an outbox file that is a symbolic link is not followed, in either format', async () => {
  for (const name of ['class-linked.jsonl', 'class-linked.json']) {
    const dir = await folder();
    const elsewhere = join(await folder(), 'target.json');
    await writeFile(elsewhere, EARLIER, { mode: 0o600 });
    await symlink(elsewhere, join(dir, name));
    await assert.rejects(Outbox.open(dir, 'class-linked'), (error: Error) => {
      assert.ok(error instanceof UnsafeFolderError && error.reason === 'symlink', String(error));
      assert.ok(error.message.includes(join(dir, name)), error.message);
      return true;
    });
    assert.equal(await readFile(elsewhere, 'utf8'), EARLIER, 'the file the link leads to is untouched');
    assert.ok((await lstat(join(dir, name))).isSymbolicLink(), 'and the link is left, for the reader to look at');
  }
});

test('a symbolic link in the lock\'s place, or in its breaker\'s, is refused as a linked lock, under its own name', async () => {
  // The lock holds nothing of the seat: the reader is told to remove the link, not to put a file
  // in its place. Its breaker (LOCK.break) is read when the lock names a runner that is gone.
  const gone = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  await new Promise((resolveExit) => gone.on('exit', resolveExit));
  for (const name of ['class-linked.lock', 'class-linked.lock.break']) {
    const dir = await folder();
    const elsewhere = join(await folder(), 'target');
    await writeFile(elsewhere, `${process.pid}-0-0badc0de\n`, { mode: 0o600 });
    if (name !== 'class-linked.lock') await writeFile(join(dir, 'class-linked.lock'), `${gone.pid}-0-0badc0de\n`, { mode: 0o600 });
    await symlink(elsewhere, join(dir, name));
    const before = await contents(dir);
    await assert.rejects(Outbox.open(dir, 'class-linked'), (error: Error & { reason?: string; path?: string }) => {
      assert.equal(error.name, 'OutboxLockError', String(error));
      assert.equal(error.reason, 'link');
      assert.equal(error.path, join(dir, name), 'it names the link itself');
      assert.ok(error.message.includes(`rm ${join(dir, name)}`), error.message);
      return true;
    });
    assert.equal(await readFile(elsewhere, 'utf8'), `${process.pid}-0-0badc0de\n`, 'the file the link leads to is untouched');
    assert.ok((await lstat(join(dir, name))).isSymbolicLink(), 'and the link is left, for the reader to look at');
    assert.deepEqual(await contents(dir), before, 'nothing else changed');
  }
});

test('npm start -- --join refuses an outbox folder others can read, in the reader\'s language, and keeps the seat', { timeout: 120_000 }, async () => {
  const classData = await tempDir('outbox-privacy');
  const server = await startClassProcess({ dataDir: classData, name: 'Privacy' });
  const home = await folder();
  try {
    const env = { HOME: home, XDG_DATA_HOME: join(home, 'data'), XDG_STATE_HOME: join(home, 'state'), LANG: 'en_US.UTF-8' };
    const classroom = join(home, 'data', 'wasm-docker-workshop', 'classroom');
    const args = ['--join', server.joinUrl, '--seat', 'Ann'];
    // A runner that joined and stopped: its outbox holds the seat.
    const cli = spawn(process.execPath, ['--import', 'tsx', 'server/app/cli.ts', '--no-open', '--no-build', '--port', '0', ...args], { env: { ...process.env, LC_ALL: '', CI: '1', ...env }, stdio: 'ignore' });
    const joined = await waitFor('the runner to join', async () => {
      const names = await readdir(classroom).catch(() => []);
      return names.some((name) => name.endsWith('.jsonl')) ? ((await outboxOnDisk(classroom)).seat ?? undefined) : undefined;
    });
    cli.kill('SIGTERM');
    await new Promise((resolveExit) => cli.on('exit', resolveExit));

    await chmod(classroom, 0o755);
    const before = await contents(classroom);
    // The outbox folder holds the seat: the text says how to mend it, never to remove it.
    const folderTexts = [
      ['en_US.UTF-8', /does not use .*, the folder of your class outbox: other users can read or change it\. It holds your seat in the class and the results not sent yet, so do not remove it\./, /Remove that folder/],
      ['de_DE.UTF-8', /verwendet .* nicht, den Ordner deines Postausgangs für den Kurs: andere Benutzer können ihn lesen oder ändern\. Er enthält deinen Platz im Kurs und die noch nicht gesendeten Ergebnisse, lösche ihn also nicht\./, /Entferne|ß/],
    ] as const;
    for (const [lang, text, never] of folderTexts) {
      const refused = await npmStart(args, { ...env, LANG: lang });
      assert.equal(refused.ready, false, `the runner started with a shared outbox folder: ${refused.stderr}`);
      assert.equal(refused.code, 1, refused.stderr);
      assert.match(refused.stderr, text);
      assert.match(refused.stderr, new RegExp(`chmod 700 ${classroom}`));
      assert.doesNotMatch(refused.stderr, never);
    }
    assert.deepEqual(await contents(classroom), before, 'the outbox is as the last run left it');
    await chmod(classroom, 0o700);
    assert.deepEqual((await outboxOnDisk(classroom)).seat, joined, 'the seat credential is still there');

    // An outbox file that is a link: a file, not a folder, and put the file itself in its place.
    const [name] = (await readdir(classroom)).filter((file) => file.endsWith('.jsonl'));
    const real = join(home, 'elsewhere.jsonl');
    await rename(join(classroom, name), real);
    await symlink(real, join(classroom, name));
    const fileTexts = [
      ['en_US.UTF-8', /does not read .*, a file of your class outbox: it is a symbolic link, and the runner makes none\. .*put the file itself in its place \(mv\)/],
      ['de_DE.UTF-8', /liest .* nicht, eine Datei deines Postausgangs für den Kurs: sie ist ein symbolischer Link, und der Runner legt keine an\. .*verschiebe die Datei selbst an seine Stelle \(mv\)/],
    ] as const;
    for (const [lang, text] of fileTexts) {
      const refused = await npmStart(args, { ...env, LANG: lang });
      assert.equal(refused.ready, false, `the runner started with a linked outbox file: ${refused.stderr}`);
      assert.match(refused.stderr, text);
      const line = refused.stderr.split('\n').find((text) => text.includes(join(classroom, name)));
      assert.ok(line, refused.stderr);
      assert.doesNotMatch(line.replaceAll(join(classroom, name), 'FILE'), /folder|Ordner/);
    }
    await rm(join(classroom, name));
    await rename(real, join(classroom, name));
    assert.deepEqual((await outboxOnDisk(classroom)).seat, joined, 'mended as the text says, the seat is still there');
  } finally {
    await server.kill();
    await removeDir(classData);
  }
});

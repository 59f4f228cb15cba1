// The classroom kit round trip on the real Docker engine: images built offline FROM scratch
// (unique names), `npm run kit -- create`, the images removed, `npm run kit -- load`, the
// ids checked, and a step that needs the images passing its check again. A damaged kit
// loads nothing.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { open, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { docker, dockerSkip } from '../doctor/helpers/docker.ts';
import { startTestRunner, TerminalClient } from '../server/runner-harness.ts';
import { removeDir, tempDir } from './class-harness.ts';

const skip = dockerSkip();
const tag = `${process.pid}-${Date.now().toString(36)}`;
const images = [`class-kit-test/alpha:${tag}`, `class-kit-test/beta:${tag}`];
let dir: string | undefined;

after(async () => {
  for (const image of images) await docker(['image', 'rm', '-f', image]);
  if (dir) await removeDir(dir);
});

function kit(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolveRun) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/classroom/kit/cli.ts', ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LANG: 'en_US.UTF-8', LC_ALL: '' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => resolveRun({ code: code ?? -1, stdout, stderr }));
  });
}

const idOf = async (image: string) => (await docker(['image', 'inspect', '--format', '{{.Id}}', image])).stdout.trim();

test('a kit carries images and Wasm modules with checksums, and loads them back with the same ids', { skip, timeout: 300_000 }, async () => {
  dir = await tempDir('kit');
  const ids: string[] = [];
  for (const [index, image] of images.entries()) {
    const context = join(dir, `context-${index}`);
    await import('node:fs/promises').then((fs) => fs.mkdir(context));
    await writeFile(join(context, 'Dockerfile'), 'FROM scratch\nCOPY payload /payload\n');
    await writeFile(join(context, 'payload'), `payload ${index} ${tag}\n`.repeat(1000));
    const built = await docker(['build', '-q', '-t', image, context]);
    assert.equal(built.code, 0, built.stderr);
    ids.push(await idOf(image));
  }

  const file = join(dir, 'kit.tar');
  const created = await kit(['create', '--out', file, '--images', images.join(','), '--no-pull']);
  assert.equal(created.code, 0, created.stderr);
  assert.match(created.stdout, /2 images, 2 Wasm modules/);

  // A damaged copy: one byte flipped in the first image. It loads nothing.
  const damaged = join(dir, 'damaged.tar');
  await import('node:fs/promises').then((fs) => fs.copyFile(file, damaged));
  const handle = await open(damaged, 'r+');
  const byte = Buffer.alloc(1);
  await handle.read(byte, 0, 1, 4096);
  byte[0] ^= 0xff;
  await handle.write(byte, 0, 1, 4096);
  await handle.close();

  for (const image of images) assert.equal((await docker(['image', 'rm', '-f', image])).code, 0);
  const refused = await kit(['load', damaged]);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /The kit is damaged: .* does not match its checksum\. Nothing was loaded/);
  for (const image of images) assert.equal(await idOf(image), '', `${image} was not loaded from a damaged kit`);

  const loaded = await kit(['load', file]);
  assert.equal(loaded.code, 0, loaded.stderr);
  for (const [index, image] of images.entries()) {
    assert.equal(await idOf(image), ids[index], `${image} has its old id again`);
    assert.match(loaded.stdout, new RegExp(`Loaded ${image.replace(/[/.]/g, '\\$&')} \\(id ${ids[index].slice(7, 19)}`));
  }
  assert.match(loaded.stdout, /Wasm module hello\/hello\.wasm: already the same/);
  assert.match(loaded.stdout, /Docker steps on this machine now:\n {2}ready {6}docker-version/);

  // A step that needs the images passes its check again.
  const runner = await startTestRunner({
    steps: images.map((image, index) => ({ id: `kit-image-${index}`, command: 'true', check: { command: `docker image inspect --format '{{.Id}}' ${image}`, expect: ids[index] }, timeoutSeconds: 60 })),
  });
  try {
    const client = await TerminalClient.connect(runner);
    for (const index of images.keys()) assert.equal((await client.runStep(`kit-image-${index}`, 60_000)).status, 'passed');
    client.ws.close();
  } finally {
    await runner.dispose();
  }
});

test('kit arguments: a wrong command or a missing file name is refused with help', async () => {
  for (const args of [['pack'], ['load'], ['create', '--out']]) {
    const result = await kit(args);
    assert.equal(result.code, 2, args.join(' '));
    assert.match(result.stderr, /See npm run kit -- --help/);
  }
  const notAKit = await kit(['load', 'package.json']);
  assert.equal(notAKit.code, 1);
  assert.match(notAKit.stderr, /is not a workshop kit/);
});

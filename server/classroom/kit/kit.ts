// The classroom kit (docs/classroom.md): one file with the Docker images the workshop's
// steps need (`docker save` of local images) and the prebuilt Wasm modules, each with its
// SHA-256, for rooms where thirty laptops cannot all pull (Docker Hub allows anonymous
// users 10 pulls per hour per IPv4 address). `load` checks every checksum before it hands
// anything to `docker load`, and compares the loaded images' ids with the kit's.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { z } from '../../../contracts/zod.ts';
import { entryStream, listTar, TarWriter } from './tar.ts';

export const KIT_MANIFEST = 'workshop-kit.json';

const manifestSchema = z.object({
  kind: z.literal('wasm-docker-workshop-kit'),
  version: z.literal(1),
  createdAt: z.string(),
  images: z.array(z.object({ name: z.string(), id: z.string().regex(/^sha256:[0-9a-f]{64}$/), file: z.string(), sha256: z.string().regex(/^[0-9a-f]{64}$/), bytes: z.number().int() })),
  modules: z.array(z.object({ path: z.string().regex(/^[A-Za-z0-9._/-]+\.wasm$/).refine((p) => !p.split('/').includes('..')), file: z.string(), sha256: z.string().regex(/^[0-9a-f]{64}$/), bytes: z.number().int() })),
});
export type KitManifest = z.infer<typeof manifestSchema>;

export class KitError extends Error {
  constructor(
    readonly key: string,
    readonly values: Record<string, string | number> = {},
  ) {
    super(`${key} ${JSON.stringify(values)}`);
  }
}

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function run(command: string, args: readonly string[], options: { stdoutFile?: string; stdinFile?: string } = {}): Promise<CommandResult> {
  return new Promise((resolveRun) => {
    const child = spawn(command, args, { stdio: [options.stdinFile ? 'pipe' : 'ignore', options.stdoutFile ? 'pipe' : 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const piping: Promise<unknown>[] = [];
    if (options.stdoutFile) piping.push(pipeline(child.stdout!, createWriteStream(options.stdoutFile)));
    else child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    if (options.stdinFile) piping.push(pipeline(createReadStream(options.stdinFile), child.stdin!).catch(() => undefined));
    child.on('error', (error) => resolveRun({ code: -1, stdout, stderr: error.message }));
    child.on('close', (code) => void Promise.allSettled(piping).then(() => resolveRun({ code: code ?? -1, stdout, stderr })));
  });
}

async function sha256Of(stream: NodeJS.ReadableStream): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of stream) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** The images the steps build from (FROM lines of the fixtures' Dockerfiles), without scratch and build stages. */
export async function imagesOfFixtures(fixturesDir: string): Promise<string[]> {
  const images = new Set<string>();
  for (const project of await readdir(fixturesDir, { withFileTypes: true })) {
    if (!project.isDirectory()) continue;
    for (const file of await readdir(join(fixturesDir, project.name))) {
      if (!file.startsWith('Dockerfile') || file.endsWith('.2023')) continue;
      const text = await readFile(join(fixturesDir, project.name, file), 'utf8');
      const stages = new Set<string>();
      for (const match of text.matchAll(/^FROM\s+(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?/gim)) {
        const [, image, stage] = match;
        if (image !== 'scratch' && !stages.has(image)) images.add(image);
        if (stage) stages.add(stage);
      }
    }
  }
  return [...images].sort();
}

async function wasmModules(fixturesDir: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (dir: string) => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      if (entry.name === 'target' || entry.name === 'node_modules') continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.name.endsWith('.wasm')) found.push(relative(fixturesDir, path).split('\\').join('/'));
    }
  };
  await walk(fixturesDir);
  return found.sort();
}

export interface CreateOptions {
  out: string;
  fixturesDir: string;
  images: readonly string[];
  /** Pull an image that is not here (where the trainer has the network); default true. */
  pull: boolean;
  docker?: string;
  progress?: (key: string, values: Record<string, string | number>) => void;
}

export async function createKit(options: CreateOptions): Promise<KitManifest> {
  const docker = options.docker ?? 'docker';
  const say = options.progress ?? (() => {});
  const scratch = await mkdtemp(join(tmpdir(), 'workshop-kit-'));
  const manifest: KitManifest = { kind: 'wasm-docker-workshop-kit', version: 1, createdAt: new Date().toISOString(), images: [], modules: [] };
  const tar = new TarWriter(options.out);
  try {
    for (const [index, name] of options.images.entries()) {
      let inspected = await run(docker, ['image', 'inspect', '--format', '{{.Id}}', name]);
      if (inspected.code !== 0 && options.pull) {
        say('pulling', { image: name });
        const pulled = await run(docker, ['pull', name]);
        if (pulled.code !== 0) throw new KitError('pullFailed', { image: name, message: pulled.stderr.trim().split('\n').at(-1) ?? '' });
        inspected = await run(docker, ['image', 'inspect', '--format', '{{.Id}}', name]);
      }
      if (inspected.code !== 0) throw new KitError('imageMissing', { image: name });
      say('saving', { image: name });
      const file = join(scratch, `image-${index}.tar`);
      const saved = await run(docker, ['save', '-o', file, name]);
      if (saved.code !== 0) throw new KitError('saveFailed', { image: name, message: saved.stderr.trim() });
      const bytes = (await stat(file)).size;
      const entry = `images/image-${index}.tar`;
      manifest.images.push({ name, id: inspected.stdout.trim(), file: entry, sha256: await sha256Of(createReadStream(file)), bytes });
      await tar.addFile(entry, file, bytes);
      await rm(file, { force: true });
    }
    for (const [index, path] of (await wasmModules(options.fixturesDir)).entries()) {
      const source = join(options.fixturesDir, path);
      const bytes = (await stat(source)).size;
      const entry = `modules/module-${index}.wasm`;
      manifest.modules.push({ path, file: entry, sha256: await sha256Of(createReadStream(source)), bytes });
      await tar.addFile(entry, source, bytes);
    }
    await tar.addBuffer(KIT_MANIFEST, Buffer.from(JSON.stringify(manifest, null, 2)));
    await tar.close();
    return manifest;
  } catch (error) {
    await tar.close().catch(() => {});
    await rm(options.out, { force: true });
    throw error;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

export interface LoadResult {
  manifest: KitManifest;
  images: { name: string; id: string }[];
  modules: { path: string; status: 'same' | 'written' }[];
}

export async function loadKit(file: string, options: { fixturesDir: string; docker?: string; progress?: CreateOptions['progress'] }): Promise<LoadResult> {
  const docker = options.docker ?? 'docker';
  const say = options.progress ?? (() => {});
  let entries;
  try {
    entries = await listTar(file);
  } catch {
    throw new KitError('notAKit', { file });
  }
  const manifestEntry = entries.find((entry) => entry.name === KIT_MANIFEST);
  if (!manifestEntry || manifestEntry.size > 1_000_000) throw new KitError('notAKit', { file });
  let text = '';
  for await (const chunk of entryStream(file, manifestEntry)) text += (chunk as Buffer).toString('utf8');
  const parsed = manifestSchema.safeParse(JSON.parse(text));
  if (!parsed.success) throw new KitError('notAKit', { file });
  const manifest = parsed.data;
  const byName = new Map(entries.map((entry) => [entry.name, entry]));

  // Every checksum first: a damaged kit loads nothing.
  for (const item of [...manifest.images, ...manifest.modules]) {
    const entry = byName.get(item.file);
    if (!entry || entry.size !== item.bytes || (await sha256Of(entryStream(file, entry))) !== item.sha256) {
      throw new KitError('checksumMismatch', { entry: 'name' in item ? item.name : item.path });
    }
  }

  const scratch = await mkdtemp(join(tmpdir(), 'workshop-kit-load-'));
  const images: LoadResult['images'] = [];
  const modules: LoadResult['modules'] = [];
  try {
    for (const image of manifest.images) {
      say('loading', { image: image.name });
      const part = join(scratch, 'image.tar');
      await pipeline(entryStream(file, byName.get(image.file)!), createWriteStream(part));
      const loaded = await run(docker, ['load', '-i', part]);
      await rm(part, { force: true });
      if (loaded.code !== 0) throw new KitError('loadFailed', { image: image.name, message: loaded.stderr.trim() });
      const id = (await run(docker, ['image', 'inspect', '--format', '{{.Id}}', image.name])).stdout.trim();
      if (id !== image.id) throw new KitError('digestMismatch', { image: image.name, expected: image.id, found: id || '-' });
      images.push({ name: image.name, id });
    }
    for (const module of manifest.modules) {
      const target = join(options.fixturesDir, module.path);
      const current = await sha256Of(createReadStream(target)).catch(() => undefined);
      if (current === module.sha256) {
        modules.push({ path: module.path, status: 'same' });
        continue;
      }
      await pipeline(entryStream(file, byName.get(module.file)!), createWriteStream(target));
      modules.push({ path: module.path, status: 'written' });
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  return { manifest, images, modules };
}

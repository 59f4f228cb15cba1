// `npm run kit -- create [--out FILE] [--images A,B] [--no-pull]` and `npm run kit -- load FILE`:
// the classroom kit (docs/classroom.md). Texts: content/locales/<lang>/class.json, "kit".
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import de from '../../../content/locales/de/class.json' with { type: 'json' };
import en from '../../../content/locales/en/class.json' with { type: 'json' };
import { steps } from '../../../content/steps.ts';
import { runDoctor } from '../../doctor/doctor.ts';
import { parseKitArgs } from './cli-args.ts';
import { createKit, imagesOfFixtures, KitError, loadKit, run } from './kit.ts';
import { stepReadiness } from './step-readiness.ts';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const lang = (process.env.LC_ALL || process.env.LC_MESSAGES || process.env.LANG || '').toLowerCase().startsWith('de') ? 'de' : 'en';
type KitKey = keyof typeof en.kit;
const text = (key: KitKey | string, values: Record<string, string | number> = {}) => {
  const table = (lang === 'de' ? de.kit : en.kit) as Record<string, string>;
  return (table[key] ?? (en.kit as Record<string, string>)[key] ?? key).replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
};
const say = (key: string, values: Record<string, string | number>) => console.error(text(key, values));

async function main(): Promise<number> {
  const parsed = parseKitArgs(process.argv.slice(2));
  if (!parsed.ok) {
    console.error(text('badArgument', { arg: parsed.arg }));
    return 2;
  }
  const command = parsed.value;
  const fixturesDir = resolve(ROOT, 'fixtures');
  if (command.command === 'help') {
    console.log(text('usage'));
    return 0;
  }
  try {
    if (command.command === 'create') {
      const images = command.images ?? (await imagesOfFixtures(fixturesDir));
      const manifest = await createKit({ out: resolve(command.out), fixturesDir, images, pull: command.pull, progress: say });
      const bytes = manifest.images.reduce((sum, image) => sum + image.bytes, 0) + manifest.modules.reduce((sum, module) => sum + module.bytes, 0);
      console.log(text('created', { file: resolve(command.out), images: manifest.images.length, modules: manifest.modules.length, mb: (bytes / 1e6).toFixed(1) }));
      return 0;
    }
    const result = await loadKit(resolve(command.file), { fixturesDir, progress: say });
    for (const image of result.images) console.log(text('loaded', { image: image.name, id: image.id.slice(7, 19) }));
    for (const module of result.modules) console.log(text(module.status === 'same' ? 'moduleSame' : 'moduleWritten', { path: module.path }));
    const report = await runDoctor({ lang });
    const readiness = await stepReadiness(steps, report.checks, async (image) => (await run('docker', ['image', 'inspect', image])).code === 0, fixturesDir);
    console.log(text('readyHeading'));
    for (const step of readiness) {
      if (step.missing.length === 0 && step.images.length === 0) console.log(text('stepReady', { step: step.step }));
      else console.log(text('stepNotReady', { step: step.step, missing: [...step.missing, ...step.images].join(', ') }));
    }
    return 0;
  } catch (error) {
    if (error instanceof KitError) console.error(text(error.key, error.values));
    else console.error(text('failed', { message: error instanceof Error ? error.message : String(error) }));
    return 1;
  }
}

main().then((code) => process.exit(code));

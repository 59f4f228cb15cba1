// Every step can be followed in PowerShell: a step whose bash uses syntax PowerShell
// lacks has a `powershell` variant or a `powershellNote`; everything PowerShell is given
// (variants, the bash commands that run unchanged, check commands, the start command)
// parses with a real PowerShell grammar; every note has its text in both languages.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { POWERSHELL_NOTES, stepSchema } from '../../contracts/step-schema.ts';
import { startCommand } from '../../content/start-command.ts';
import { steps } from '../../content/steps.ts';
import { repoRoot } from '../helpers/dist.ts';
import { powershellSyntaxErrors } from '../helpers/powershell-grammar.ts';
import { bashOnlySyntax } from './bash-only-syntax.ts';

test('the bash-only check finds what breaks in PowerShell, and passes what does not', () => {
  const breaks = [
    'docker run \\\n  --rm demo/x',
    'export DOCKER_BUILDKIT=1',
    'cd hello && docker build .',
    'docker build . || echo failed',
    'docker run -v "$PWD":/app demo/x',
    'echo $(date)',
    'echo `date`',
    'DOCKER_BUILDKIT=1 docker build .',
    './measureAvgTime.sh "docker run demo/x" 5',
    'diff <(ls a) <(ls b)',
    'cat ~/.docker/config.json',
  ];
  for (const command of breaks) assert.notDeepEqual(bashOnlySyntax(command), [], `flags ${JSON.stringify(command)}`);
  const runs = [
    "docker version --format '{{.Server.Version}}'",
    'docker run --rm --network none --pull=never --runtime=io.containerd.wasmtime.v1 --platform=wasi/wasm demo/x',
    'docker buildx create --name wasm-builder --platform wasi/wasm\ndocker buildx use wasm-builder',
    'node ../run-wasi.mjs hello.wasm',
  ];
  for (const command of runs) assert.deepEqual(bashOnlySyntax(command), [], `passes ${JSON.stringify(command)}`);
});

test('every step whose bash breaks in PowerShell has a powershell variant or a note', () => {
  for (const step of steps) {
    const found = bashOnlySyntax(step.command);
    if (found.length === 0) continue;
    assert.ok(step.powershell || step.powershellNote, `step ${step.id} uses ${found.join(', ')}: give it \`powershell\` or \`powershellNote\``);
  }
  for (const step of steps) {
    // The runner types the check command into PowerShell as it is: it has no variant.
    // A step with a note runs in bash (WSL, Git Bash, Linux), so its check does too.
    if (step.check && !step.powershellNote) assert.deepEqual(bashOnlySyntax(step.check.command), [], `the check of step ${step.id} must run in both shells`);
  }
});

test('a PowerShell variant uses no syntax that Windows PowerShell 5.1 lacks', () => {
  const variants = [...steps.flatMap((s) => (s.powershell ? [[s.id, s.powershell]] : [])), ['start command', startCommand.powershell]];
  for (const [where, variant] of variants) {
    assert.doesNotMatch(variant, /&&|\|\||\\\r?\n/, `${where}: no &&, || or \\ continuation in PowerShell 5.1`);
  }
});

test('the PowerShell grammar rejects broken PowerShell (so the next test can fail)', async () => {
  for (const broken of ["Get-Item 'unclosed", 'if ($x) {', 'docker run \\\n  --rm demo/x', 'foo |', '"unclosed']) {
    assert.notDeepEqual(await powershellSyntaxErrors(broken), [], `rejects ${JSON.stringify(broken)}`);
  }
  assert.deepEqual(await powershellSyntaxErrors("$env:X = 'y'; docker run --rm --pull=never demo/x"), []);
});

test('everything PowerShell is given parses with the PowerShell grammar', async () => {
  const scripts: [string, string][] = [['start command', startCommand.powershell]];
  for (const step of steps) {
    if (!step.powershellNote) scripts.push([`step ${step.id}`, step.powershell ?? step.command]);
    if (step.check && !step.powershellNote) scripts.push([`check of step ${step.id}`, step.check.command]);
  }
  assert.ok(scripts.length > steps.length / 2, 'most steps are checked');
  for (const [where, script] of scripts) {
    assert.deepEqual(await powershellSyntaxErrors(script), [], `${where} (${JSON.stringify(script)}) is valid PowerShell`);
  }
});

test('a step has a variant or a note, not both', () => {
  const base = { id: 'x-step', command: 'true' };
  assert.throws(() => stepSchema.parse({ ...base, powershell: '$true', powershellNote: 'bash-script' }));
  assert.doesNotThrow(() => stepSchema.parse({ ...base, powershellNote: 'bash-script' }));
  assert.throws(() => stepSchema.parse({ ...base, powershellNote: 'no-such-note' }));
});

test('every PowerShell note has its text in German and English', () => {
  for (const locale of ['de', 'en']) {
    const texts = JSON.parse(readFileSync(join(repoRoot, `content/i18n/${locale}.json`), 'utf8')) as Record<string, string>;
    for (const note of POWERSHELL_NOTES) {
      const text = texts[`workshop.shell.note.${note}`];
      assert.ok(text && text.length > 20, `${locale}: workshop.shell.note.${note}`);
      assert.match(text, /WSL/, `${locale}: the note ${note} says where to run the step instead`);
    }
  }
});

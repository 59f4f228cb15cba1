// Docker for tests: whether a daemon answers, and how a test reacts when none does.
// Without a daemon the tests skip with the reason, except under WORKSHOP_REQUIRE_DOCKER=1
// (CI), where they run and fail.
import { execFileSync, execFile } from 'node:child_process';
import { promisify } from 'node:util';

export const execFileAsync = promisify(execFile);

function probe(): string | undefined {
  try {
    execFileSync('docker', ['info', '--format', '{{.ServerVersion}}'], { stdio: 'pipe', timeout: 20_000 });
    return undefined;
  } catch (error) {
    const e = error as { stderr?: Buffer; message: string };
    return (e.stderr?.toString().trim() || e.message).split('\n')[0];
  }
}

const problem = probe();

/** For test(..., { skip: dockerSkip() }): false when a daemon answers, else the reason. */
export function dockerSkip(): string | false {
  if (!problem) return false;
  // In CI the test runs anyway and fails on the missing daemon, with docker's own message.
  if (process.env.WORKSHOP_REQUIRE_DOCKER === '1') return false;
  return `no Docker daemon reachable (${problem}); set WORKSHOP_REQUIRE_DOCKER=1 to make this a failure`;
}

/** Runs docker and returns exit code and output, never throwing on a non-zero exit. */
export async function docker(args: string[], options: { cwd?: string; timeout?: number } = {}) {
  try {
    const { stdout, stderr } = await execFileAsync('docker', args, { cwd: options.cwd, timeout: options.timeout ?? 120_000, maxBuffer: 16 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

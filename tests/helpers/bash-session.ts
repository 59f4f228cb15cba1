// A session in a real pty running bash with a clean HOME and its own workspace, for tests that
// drive the step runner without a socket (they record what it sends by replacing Session.send).
import { mkdir, mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';
import { silentLog } from '../../server/app/log.ts';
import type { RunnerContainment } from '../../server/session/containment.ts';
import { Session } from '../../server/session/session.ts';
import { ensureWorkspace } from '../../server/workspace/workspace.ts';

export async function bashSession(root: string, name: string, containment: RunnerContainment): Promise<Session> {
  await mkdir(join(root, name), { mode: 0o700 });
  const workspaceDir = await ensureWorkspace(join(root, name), name, 'fixtures');
  const home = await mkdtemp(join(root, `${name}-home-`));
  return new Session({
    id: name,
    workspaceDir,
    shell: { kind: 'bash', file: '/bin/bash' },
    extraEnv: { HOME: home, PS1: '$ ', HISTFILE: join(home, '.history') },
    cols: 80,
    rows: 24,
    idleTimeoutMs: 120_000,
    log: silentLog,
    containment: containment.forSession(name, workspaceDir),
    runnerEnv: (path) => containment.sessionEnv(path),
    onEnded: () => {},
  });
}

// The classroom part of a participant's runner, built by server/runner.ts when it was
// started with --join: the link to the class server, the observer on the sessions, the
// page's /api/class routes, and the doctor's summary shared once after joining.
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Log } from '../app/log.ts';
import type { ApiRoute } from '../http/route-contract.ts';
import { runDoctor } from '../doctor/doctor.ts';
import { benchTap } from './bench-tap.ts';
import { ClassLink } from './class-link.ts';
import { classRoutes } from './class-routes.ts';
import { parseJoinUrl } from './join-url.ts';
import { StepObserver } from './step-observer.ts';
import { APP_FOLDER, userDataDir } from '../workspace/private-root.ts';

export interface ClassroomOptions {
  /** The URL `npm run class` printed. */
  joinUrl: string;
  /** The name the trainer sees; default: the user's login name. */
  seat?: string;
  /** Where the outbox is kept; default: the user's data folder. */
  stateDir?: string;
  /** Share the doctor's summary after joining (default true). */
  shareDoctor?: boolean;
}

export interface Classroom {
  observer: StepObserver;
  /** Routes for the runner's /api list; `beforeBench` must come before the bench route. */
  routes: ApiRoute;
  beforeBench: ApiRoute;
  link: ClassLink;
  /** Joins (or rejoins) and starts sending: only once the runner is listening. */
  start(): void;
  close(): Promise<void>;
}

export class BadJoinUrlError extends Error {
  constructor(readonly url: string) {
    super(`"${url}" is not a join link of a class server (http://HOST:PORT/join/CODE).`);
  }
}

export function defaultSeatName(env: NodeJS.ProcessEnv = process.env): string {
  const name = (env.USER || env.USERNAME || 'participant').replace(/[^\p{L}\p{N} ._@-]/gu, '').slice(0, 40);
  return name || 'participant';
}

/** The outbox's folder: in the user's data folder, by the same rule as the workspaces. */
export function defaultStateDir(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env, home = homedir()): string {
  return join(userDataDir(platform, env, home), APP_FOLDER, 'classroom');
}

/**
 * Opens the seat's outbox (refusing a bad join link, an unsafe folder, or an outbox another
 * runner holds) without sending anything yet: a runner whose start fails later (its port
 * taken) must not have joined. Its close() gives the outbox up again.
 */
export async function openClassroom(options: ClassroomOptions, log: Log): Promise<Classroom> {
  const target = parseJoinUrl(options.joinUrl);
  if (!target) throw new BadJoinUrlError(options.joinUrl);
  const link = await ClassLink.open({ target, seat: options.seat ?? defaultSeatName(), stateDir: options.stateDir ?? defaultStateDir(), log });
  const observer = new StepObserver(link);
  if (options.shareDoctor ?? true) {
    link.onJoined = () => {
      void runDoctor({ lang: 'en' }).then(
        (report) => link.record({ kind: 'doctor', checks: report.checks.slice(0, 30).map(({ id, status }) => ({ id, status })) }),
        (error) => log('error', 'class-doctor-failed', { error: String(error) }),
      );
    };
  }
  return { observer, link, routes: classRoutes({ link, observer }), beforeBench: benchTap(link), start: () => link.start(), close: () => link.close() };
}

// ========================================================================
// EXTENSION POINT for other modules' HTTP routes (doctor, bench, ...).
//
// A module exports an ApiRouteRegistrar and adds it to `extraApiRoutes` below
// (or a caller passes its own list to startRunner({ apiRoutes })). Every route a
// registrar adds lives under /api/ and is token-protected: the request needs the
// token cookie (or Authorization: Bearer <token>), a Host that names this server,
// and, if present, an Origin equal to the runner's own and a Sec-Fetch-Site of
// same-origin or none (http-app.ts, request-guards.ts).
//
//   export const registerDoctorRoutes: ApiRouteRegistrar = (router) => {
//     router.get('/doctor', async (req, res) => { res.json(await runDoctor()); });
//   };
//   // -> GET /api/doctor
// ========================================================================
import type { Router } from 'express';
import type { Log } from './log.ts';
import type { SessionRegistry } from './session-registry.ts';
import type { StepManifest } from './step-manifest.ts';
import { registerDoctorRoutes } from './doctor/http-route.ts';
import { registerWorkspaceResetRoute } from './workspace-reset.ts';
import { registerBenchRoutes } from './bench/http-route.ts';

export interface ApiContext {
  /** The steps the runner knows, by id. */
  steps: StepManifest;
  /** Folder of the built site the runner serves. */
  staticDir: string;
  /** The live terminal sessions, by id (used by workspace-reset.ts). */
  sessions: Pick<SessionRegistry, 'get'>;
  /** The example projects every workspace is seeded from. */
  fixturesDir: string;
  log: Log;
}

export type ApiRouteRegistrar = (router: Router, context: ApiContext) => void;

// ---- add registrars here (keep one line each) ----
export const extraApiRoutes: ApiRouteRegistrar[] = [
  registerDoctorRoutes,
  registerWorkspaceResetRoute,
  registerBenchRoutes,
];

// What an /api route module gives the runner: a function that mounts its handlers on
// the runner's /api router. A leaf file: route modules import it, and the route list
// lives in the composition root (server/runner.ts), so no cycle runs through here.
//
// Every route mounted this way sits behind the runner's guards (server/http/http-app.ts,
// server/security/): a valid credential, a Host that names this server, and, if present,
// an Origin equal to the runner's own and a Sec-Fetch-Site of same-origin or none.
//
//   export function doctorRoutes({ log }: { log: Log }): ApiRoute {
//     return (router) => router.get('/doctor', async (req, res) => res.json(await runDoctor()));
//   }
//   // -> GET /api/doctor
import type { Router } from 'express';

export type ApiRoute = (router: Router) => void;

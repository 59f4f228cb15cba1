// zod, as every contract uses it. The page runs under a CSP without 'unsafe-eval'
// (server/http/csp.ts), and zod's fast path probes `new Function`, which the browser
// reports as a CSP violation: jitless keeps zod on its plain path, on both sides.
import { z } from 'zod';

z.config({ jitless: true });

export { z };

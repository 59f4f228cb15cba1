// Paths of the runner's HTTP API, without their schemas (contracts/http-api.ts), so a
// page can name a route without loading zod.

/** Fragment key of the launch link: http://127.0.0.1:4321/#launch=CODE (docs/security.md). */
export const LAUNCH_FRAGMENT_KEY = 'launch';
/** The terminal socket's subprotocol; the page also offers `bearer.<credential>`. */
export const SOCKET_PROTOCOL = 'workshop.v1';
export const HEALTH_PATH = '/api/health';
export const AUTH_PATH = '/api/auth';
export const AUTH_EXCHANGE_PATH = '/api/auth/exchange';
export const AUTH_LAUNCH_PATH = '/api/auth/launch';
export const DOCTOR_PATH = '/api/doctor';
export const WORKSPACE_RESET_PATH = '/api/workspace/reset';

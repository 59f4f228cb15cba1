// Paths of the runner's HTTP API, without their schemas (contracts/http-api.ts), so a
// page can name a route without loading zod.
export const HEALTH_PATH = '/api/health';
export const AUTH_PATH = '/api/auth';
export const DOCTOR_PATH = '/api/doctor';
export const WORKSPACE_RESET_PATH = '/api/workspace/reset';

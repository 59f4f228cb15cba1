// Defaults shared by the runner and the CLI.

export const DEFAULT_PORT = 4321;
export const DEFAULT_IDLE_TIMEOUT_MS = 15 * 60 * 1000;
export const DEFAULT_MAX_SESSIONS = 16;

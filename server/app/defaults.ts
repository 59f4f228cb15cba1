// Defaults shared by the runner and the CLI.

export const DEFAULT_PORT = 4321;
export const DEFAULT_IDLE_TIMEOUT_MS = 15 * 60 * 1000;
export const DEFAULT_MAX_SESSIONS = 16;
/** A session with no page attached and no command running ends after this long. */
export const DEFAULT_UNATTENDED_TIMEOUT_MS = 60 * 1000;
/** A terminal connection that sends nothing after its hello is closed after this long. */
export const DEFAULT_FIRST_MESSAGE_TIMEOUT_MS = 10 * 1000;
/** An HTTP request (an upgrade included) whose headers have not all arrived by then is closed. */
export const HEADERS_TIMEOUT_MS = 10 * 1000;

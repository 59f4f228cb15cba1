// Paths of the participant runner's class routes, without their schemas
// (contracts/class-api.ts), so the page's initial JS can name them without loading zod.
export const RUNNER_CLASS_PATH = '/api/class';
export const RUNNER_CLASS_LEAVE_PATH = '/api/class/leave';
export const RUNNER_CLASS_HELP_PATH = '/api/class/help';

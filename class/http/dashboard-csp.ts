// The dashboard page's own Content-Security-Policy: its one script and style from this
// server, requests only to this server, nothing framed, no inline code, no eval.
export const DASHBOARD_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

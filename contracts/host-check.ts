// The exact Host and Origin rule of both servers: the runner (server/security/request-guards.ts)
// and the class server (class/security/host-policy.ts). One copy, because a difference between
// the two would be a hole in one of them.
// - Host must be one of the server's own names with its port: a page on another name that
//   resolves to this address (DNS rebinding) is refused.
// - A present Origin must be exactly http://<the Host the request was sent to>. Browsers send
//   no Origin on some requests, and clients that are not browsers send none; those pass here
//   and still need their credential.
// Plain strings in, no Node types: contracts/ imports nothing but zod.

/** `name:port` for each name, in lower case, an IPv6 address in brackets. */
export function hostPairs(names: Iterable<string>, port: number): Set<string> {
  const pairs = new Set<string>();
  for (const name of names) {
    const bracketed = name.includes(':') && !name.startsWith('[') ? `[${name}]` : name;
    pairs.add(`${bracketed}:${port}`.toLowerCase());
  }
  return pairs;
}

/** The Host header names one of the pairs. */
export function hostHeaderAllowed(pairs: ReadonlySet<string>, host: string | undefined): boolean {
  return typeof host === 'string' && pairs.has(host.toLowerCase());
}

/** No Origin passes; a present one must be exactly http://<Host>, and Host one of the pairs. */
export function originHeaderAllowed(pairs: ReadonlySet<string>, host: string | undefined, origin: string | undefined): boolean {
  if (origin === undefined) return true;
  return hostHeaderAllowed(pairs, host) && origin.toLowerCase() === `http://${host!.toLowerCase()}`;
}

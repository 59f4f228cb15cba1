// The class server's secrets: the class code (typed by people, good only for joining), the
// one-time trainer link code and the credentials. Only hashes of credentials are stored.
import { createHash, randomBytes, randomInt } from 'node:crypto';
import { CLASS_CODE_ALPHABET } from '../../contracts/class-api.ts';

/** Eight letters from 31, about 40 bits: enough with the join rate limit, short enough to type from a projector. */
export function createClassCode(): string {
  let code = '';
  for (let i = 0; i < 8; i++) code += CLASS_CODE_ALPHABET[randomInt(CLASS_CODE_ALPHABET.length)];
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

export function createCredential(): string {
  return randomBytes(32).toString('base64url');
}

export function hashCredential(credential: string): string {
  return createHash('sha256').update(credential, 'utf8').digest('hex');
}

/** The bearer credential of a request, or undefined. */
export function bearerOf(header: string | undefined): string | undefined {
  const match = /^Bearer ([A-Za-z0-9_-]{43})$/.exec(header ?? '');
  return match?.[1];
}

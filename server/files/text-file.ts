// What the editor may hold: UTF-8 text without NUL bytes, at most MAX_FILE_BYTES, and
// its version (the SHA-256 of the bytes, which unlike mtime+size cannot miss a change
// made within the same second that keeps the size).
import { createHash } from 'node:crypto';
import { MAX_FILE_BYTES } from '../../contracts/files-api.ts';

export class TooLargeError extends Error {}
export class NotTextError extends Error {}

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export function versionOf(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The bytes as text, or throws when they are too many or not text. */
export function decodeText(bytes: Buffer): string {
  if (bytes.length > MAX_FILE_BYTES) throw new TooLargeError();
  if (bytes.includes(0)) throw new NotTextError();
  try {
    return decoder.decode(bytes);
  } catch {
    throw new NotTextError();
  }
}

/** Text from the page as bytes, or throws when it may not be written. */
export function encodeText(text: string): Buffer {
  // A lone surrogate would silently become U+FFFD: the reader would lose a character.
  if (text.includes('\0') || !text.isWellFormed()) throw new NotTextError();
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length > MAX_FILE_BYTES) throw new TooLargeError();
  return bytes;
}

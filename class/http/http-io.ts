// Reading and answering requests on the class server: bodies are JSON, at most
// MAX_BODY_BYTES, validated with zod by the caller; answers are JSON and never cached. Long
// answers (the feed, the export) are streamed: written in pieces, waiting for 'drain'.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { MAX_BODY_BYTES } from '../../contracts/class-api.ts';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Sent with the error, e.g. Retry-After on a 429. */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export async function readJson(request: IncomingMessage): Promise<unknown> {
  const type = request.headers['content-type'] ?? '';
  if (!type.startsWith('application/json')) throw new HttpError(415, 'bad-content-type', 'Send the body as application/json.');
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > MAX_BODY_BYTES) throw new HttpError(413, 'too-large', `The body is larger than ${MAX_BODY_BYTES} bytes.`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, 'too-large', `The body is larger than ${MAX_BODY_BYTES} bytes.`);
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new HttpError(400, 'bad-json', 'The body is not valid JSON.');
  }
}

const BASE_HEADERS = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-resource-policy': 'same-origin',
};

export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { ...BASE_HEADERS, 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

export function sendError(response: ServerResponse, error: HttpError): void {
  if (response.headersSent) return void response.destroy();
  // A body that was too large is not read to its end: close the connection after the answer.
  if (error.status === 413) response.setHeader('connection', 'close');
  for (const [name, value] of Object.entries(error.headers)) response.setHeader(name, value);
  sendJson(response, error.status, { error: error.code, message: error.message });
}

export function sendText(response: ServerResponse, status: number, type: string, body: string, headers: Record<string, string> = {}): void {
  response.writeHead(status, { ...BASE_HEADERS, 'content-type': type, 'content-length': Buffer.byteLength(body), ...headers });
  response.end(body);
}

/** Starts an answer whose length is not known: it goes in chunks, written with write() and drained(). */
export function startStream(response: ServerResponse, status: number, type: string, headers: Record<string, string> = {}): void {
  response.writeHead(status, { ...BASE_HEADERS, 'content-type': type, ...headers });
}

/**
 * Waits until the response takes more (after write() returned false) or is gone; never rejects.
 * The caller checks `response.destroyed` afterwards: a client that left must not be written to.
 */
export function drained(response: ServerResponse): Promise<void> {
  if (response.destroyed || response.writableEnded) return Promise.resolve();
  return new Promise((resolveDrained) => {
    const done = () => {
      response.off('drain', done);
      response.off('close', done);
      resolveDrained();
    };
    response.on('drain', done);
    response.on('close', done);
  });
}

/** A turn for the other requests between two pages, so a long backlog never holds up participants' events. */
export const nextTurn = (): Promise<void> => new Promise((resolveTurn) => setImmediate(resolveTurn));

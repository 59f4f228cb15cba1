// Known errors that readers hit with Docker + Wasm, matched against a failed step's
// output. Each maps to a stable hint id; the page shows that id's cause and fix from
// content/locales/{de,en}/errors.json (components/steps/known-error-text.ts). The ids are
// a contract with the page and docs/errors.md: rename one only in all three places.
// Exact texts, where each was seen, and sources: docs/errors.md.

export interface KnownError {
  /** Stable hint id sent to the page in a step message's `hint`. */
  id: string;
  /** Patterns tried against the output (ANSI codes stripped, whitespace collapsed). */
  patterns: RegExp[];
}

// Order matters: the first entry with a matching pattern wins, so the more specific
// entries come before the general ones (a platform mismatch before "no such image").
export const KNOWN_ERRORS: readonly KnownError[] = [
  {
    // Classic image store: FROM scratch with --platform wasi/wasm. Reproduced on Engine 20.10.
    id: 'containerd-store-off',
    patterns: [
      /operating system is not supported/i,
      // The image-store step's own output on the classic store (overlay2's driver status), seen on 20.10.
      /\[\["Backing Filesystem",/,
    ],
  },
  {
    // docker run --runtime=io.containerd.wasmedge.v1 on Engine < 23, or a name the daemon does not know.
    id: 'runtime-unknown',
    patterns: [/Unknown runtime specified/i],
  },
  {
    // Engine >= 23 with a short name that has no alias in daemon.json.
    id: 'runtime-name-invalid',
    patterns: [/unknown or invalid runtime name/i],
  },
  {
    // containerd found no containerd-shim-NAME-vN on the daemon's PATH.
    id: 'shim-not-installed',
    patterns: [/binary not installed\W+containerd-shim-/i, /failed to start shim[^\n]*not installed/i],
  },
  {
    // A build stage without --platform=$BUILDPLATFORM asks for rust:1.xx as wasi/wasm.
    id: 'build-stage-platform',
    patterns: [/no match for platform in manifest/i],
  },
  {
    // buildx with the docker-container driver keeps the result in its cache unless --load.
    id: 'missing-load',
    patterns: [/No output specified with docker-container driver/i],
  },
  {
    // Built as wasi/wasm, run as wasi/wasm32 or the reverse (docker/for-win 13410).
    id: 'wasm-platform-mismatch',
    patterns: [
      /was found but does not (?:match|provide) the specified platform[^\n]*wasi\/wasm/i,
      /no matching manifest for wasi\/wasm/i,
    ],
  },
  {
    // The image is not in the local store (never built, built elsewhere, or under another platform).
    id: 'image-not-found',
    patterns: [
      /Unable to find image '[^']*' locally/i,
      /pull access denied for/i,
      /No such image: /i,
    ],
  },
  {
    // Rust >= 1.84 removed wasm32-wasi; rustup and rustc say so in two different ways.
    id: 'rust-target-renamed',
    patterns: [
      /does not support target 'wasm32-wasi'/i,
      /could not find specification for target "wasm32-wasi"/i,
    ],
  },
  {
    // Rust older than 1.78 does not know wasm32-wasip1 yet.
    id: 'rust-too-old',
    patterns: [/could not find specification for target "wasm32-wasip[12]"/i],
  },
  {
    // rustc knows the target but its standard library is not installed.
    id: 'rust-target-missing',
    patterns: [/the `wasm32-wasip[12]` target may not be installed/i],
  },
  {
    // The CLI has no buildx plugin (Debian's docker.io, a bare engine install).
    id: 'buildx-missing',
    patterns: [
      /unknown command:? "?docker buildx/i,
      /'buildx' is not a docker command/i,
      // docker buildx build --load without the plugin: the CLI parses the flags itself (Engine 20.10, seen here).
      /unknown flag: --load/i,
    ],
  },
  {
    // No Rust toolchain on the shell's PATH (bash, zsh, PowerShell).
    id: 'rust-missing',
    patterns: [
      /(?:^|\s)(?:rustc|cargo|rustup): command not found/i,
      /command not found: (?:rustc|cargo|rustup)\b/i,
      /The term '(?:rustc|cargo|rustup)' is not recognized/i,
    ],
  },
  {
    // The CLI has no compose v2 plugin.
    id: 'compose-missing',
    patterns: [/unknown command:? "?docker compose/i, /'compose' is not a docker command/i],
  },
  {
    // The user may not use the daemon's socket.
    id: 'docker-permission',
    patterns: [/permission denied while trying to connect to the Docker daemon/i],
  },
  {
    id: 'daemon-unreachable',
    patterns: [/Cannot connect to the Docker daemon/i, /error during connect:/i],
  },
  {
    // The shell did not find the docker command at all (bash, zsh, PowerShell).
    id: 'docker-missing',
    patterns: [
      /(?:^|\s)docker: command not found/i,
      /command not found: docker\b/i,
      /The term 'docker' is not recognized/i,
    ],
  },
];

/** Every hint id, in matching order; the locale files must have cause and fix for each. */
export const KNOWN_ERROR_IDS: readonly string[] = KNOWN_ERRORS.map((e) => e.id);

// CSI and OSC escape sequences a pty puts around colored or titled output.
// eslint-disable-next-line no-control-regex
const ANSI_PATTERN = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)/g;

/** Plain text for matching: no escape codes, CR as newline, runs of spaces as one. */
export function normalizeOutput(output: string): string {
  return output
    .replace(ANSI_PATTERN, '')
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t]+/g, ' ');
}

/** The hint id of the first known error found in a step's output, if any. */
export function matchKnownError(output: string): string | undefined {
  if (!output) return undefined;
  const text = normalizeOutput(output);
  for (const known of KNOWN_ERRORS) {
    if (known.patterns.some((pattern) => pattern.test(text))) return known.id;
  }
  return undefined;
}

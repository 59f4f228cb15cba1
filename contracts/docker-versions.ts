// The Docker Engine versions the workshop's texts and checks rely on: one place, so that
// the doctor, the known-error hints and the setup page never name different numbers.
// Sources: moby/moby#43887 (full runtime names from Engine 23), the Engine 24 and 29 release
// notes (the containerd image store; its default on fresh installs); linked in the setup chapter
// (content/docs/*/setup.mdx).
// Texts use them as placeholders: {minEngine}, {shimEngine}, {storeDefaultEngine}.

export const ENGINE_VERSIONS = {
  /** First Engine that hands fully qualified runtime names (io.containerd.NAME.vN) to containerd. */
  shimEngine: 23,
  /** First Engine with the containerd image store (feature containerd-snapshotter) and runtime aliases. */
  storeEngine: 24,
  /** First Engine whose fresh installs use the containerd image store by default. */
  storeDefaultEngine: 29,
  /** What the workshop's Wasm steps need: shims and the containerd store together. */
  minEngine: 24,
} as const;

/** The same numbers as text placeholders ({minEngine} → "24"). */
export const ENGINE_VERSION_PARAMS: Readonly<Record<keyof typeof ENGINE_VERSIONS, number>> = ENGINE_VERSIONS;

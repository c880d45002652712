/**
 * Size limits on a profile, checked before the expensive work (parsing a huge
 * file, validating and planning a huge node list) so hostile or runaway input
 * ends in a clear diagnostic instead of minutes of CPU and gigabytes of memory.
 * docs/profile-reference.md lists them.
 */
export const PROFILE_LIMITS = {
  /** Bytes of profile YAML. The largest real profile is a few KiB per 100 nodes. */
  maxBytes: 1024 * 1024,
  /** Entries in `nodes`. */
  maxNodes: 10_000,
  /**
   * Alias nodes the YAML may resolve in all (the yaml library's maxAliasCount):
   * enough for `<<: *defaults` on every node, and a "billion laughs" stops at once.
   */
  maxAliasCount: 20_000,
  /** Nesting depth of mappings and lists; the deepest real profile nests 5 levels. */
  maxDepth: 64,
  /** Characters in one single-line string value. */
  maxStringLength: 8192,
  /** Characters in a multi-line string value (an ASCII-armored key). */
  maxMultilineLength: 256 * 1024,
  /** kubelet.maxPods: more would not fit any node's pod CIDR. */
  maxPods: 65_536,
  /** Characters of a value a diagnostic echoes before cutting it. */
  maxEchoLength: 64,
} as const;

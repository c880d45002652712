/**
 * The subset of the Ignition config spec 3.4.0 that gen-userdata emits (every field
 * used here means the same in spec 3.3.0, which is offered for older Flatcar releases).
 * Field names follow the spec's JSON (camelCase); optional fields are left out
 * rather than set to null so the output stays small.
 */

/** Config spec versions gen-userdata can emit. */
export const IGNITION_SPEC_VERSIONS = ['3.4.0', '3.3.0'] as const;
export type IgnitionSpecVersion = (typeof IGNITION_SPEC_VERSIONS)[number];
/** 3.4.0: Flatcar reads it from Alpha 3535 / Stable 3602 on (docs/ignition-delivery.md). */
export const DEFAULT_SPEC_VERSION: IgnitionSpecVersion = '3.4.0';

export interface IgnitionResource {
  /** data: URL for inline contents, https:// for downloads. */
  source: string;
  compression?: 'gzip';
  /** "sha256-<hex>" or "sha512-<hex>", over the decompressed data. */
  verification?: { hash: string };
}

export interface IgnitionNodeUser {
  name: string;
}

export interface IgnitionFile {
  path: string;
  overwrite?: boolean;
  user?: IgnitionNodeUser;
  group?: IgnitionNodeUser;
  contents: IgnitionResource;
  /** Decimal in JSON (0o644 → 420). */
  mode: number;
}

export interface IgnitionLink {
  path: string;
  overwrite?: boolean;
  target: string;
  hard: boolean;
}

export interface IgnitionDropin {
  name: string;
  contents: string;
}

export interface IgnitionUnit {
  name: string;
  enabled?: boolean;
  /** Links the unit to /dev/null so nothing can start it. */
  mask?: boolean;
  contents?: string;
  dropins?: IgnitionDropin[];
}

export interface IgnitionUser {
  name: string;
  sshAuthorizedKeys?: string[];
  groups?: string[];
  shell?: string;
}

export interface IgnitionConfig {
  ignition: {
    version: IgnitionSpecVersion;
    /** The stub config (--ignition-stub-url): replace this config with the one at source. */
    config?: { replace: IgnitionResource };
    /** The site proxy Ignition fetches remote resources through (profile proxy). */
    proxy?: { httpProxy?: string; httpsProxy?: string; noProxy?: string[] };
  };
  passwd: { users: IgnitionUser[] };
  storage: { files: IgnitionFile[]; links: IgnitionLink[] };
  systemd: { units: IgnitionUnit[] };
}

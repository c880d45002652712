/**
 * The subset of the Ignition config spec 3.4.0 that gen-userdata emits.
 * Field names follow the spec's JSON (camelCase); optional fields are left out
 * rather than set to null so the output stays small.
 */

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
  ignition: { version: '3.4.0'; proxy?: { httpProxy?: string; httpsProxy?: string; noProxy?: string[] } };
  passwd: { users: IgnitionUser[] };
  storage: { files: IgnitionFile[]; links: IgnitionLink[] };
  systemd: { units: IgnitionUnit[] };
}

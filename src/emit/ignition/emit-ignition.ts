/**
 * Ignition 3.4.0 (or 3.3.0) output for one Flatcar node: NodePlan → config.ign text.
 * Pure: no I/O, no clock. The same plan and options always give the same bytes.
 */
import type { NodePlan, PlanFile } from '../../plan/types.js';
import type { FlatcarSettings, ProxySettings } from '../../profile/types.js';
import { encodeDataUrl } from '../data-url.js';
import { networkdFiles } from './networkd.js';
import { kubernetesSysext } from './sysext.js';
import { DEFAULT_SPEC_VERSION, type IgnitionConfig, type IgnitionFile, type IgnitionLink, type IgnitionSpecVersion, type IgnitionUnit } from './types.js';
import { ignitionUnits } from './units.js';
import { ignitionUsers } from './users.js';

/** Options for emitIgnition. */
export interface IgnitionOptions {
  /** "x.y.z"; picks the Kubernetes sysext image. */
  kubernetesVersion: string;
  flatcar: Pick<FlatcarSettings, 'sysextUrl' | 'sysextSha256'>;
  /** Indent with two spaces (readable, larger). Default false: compact, for user-data size limits. */
  pretty?: boolean;
  /** Site proxy: Ignition fetches the sysext image through it (ignition.proxy). */
  proxy?: ProxySettings;
  /** Config spec version; default 3.4.0. 3.3.0 is for Flatcar releases before 3535 (see docs/ignition-delivery.md). */
  specVersion?: IgnitionSpecVersion;
}

/** Path of the hostname file; Flatcar's image has none, but a cloud image may bring one. */
export const HOSTNAME_PATH = '/etc/hostname';
/** Where Ignition writes unit files and drop-ins. */
const SYSTEMD_SYSTEM_DIR = '/etc/systemd/system';

/** Splits "user:group" (or "user") into Ignition's user/group references. */
function ownerRefs(owner: string): Pick<IgnitionFile, 'user' | 'group'> {
  const [user, group] = owner.split(':', 2);
  const refs: Pick<IgnitionFile, 'user' | 'group'> = {};
  if (user) refs.user = { name: user };
  if (group) refs.group = { name: group };
  return refs;
}

/**
 * One plan-like text file as an Ignition storage.files entry with inline contents.
 * Every file we write has overwrite: true: without it Ignition aborts when the path
 * exists, which is the case on an image that ships the file and on a node
 * re-provisioned with flatcar-reset (which keeps /etc and /opt by choice).
 */
function textFile(path: string, content: string, mode: number, owner: string): IgnitionFile {
  // Key order is fixed here so the JSON is stable: path, overwrite, user, group, contents, mode.
  const file: IgnitionFile = { path, overwrite: true, ...ownerRefs(owner), contents: encodeDataUrl(content), mode };
  return file;
}

function planFile(f: PlanFile): IgnitionFile {
  return textFile(f.path, f.content, f.mode, f.owner);
}

/**
 * Checks what Ignition ≥ 2.15 rejects (and the older ignition-validate on Debian
 * does not): two entries for one path, or a file/link where a unit or drop-in
 * will be written. Throws: such a clash is a generator bug.
 */
function assertNoConflicts(files: IgnitionFile[], links: IgnitionLink[], units: IgnitionUnit[]): void {
  const seen = new Set<string>();
  for (const u of units) {
    if (u.contents !== undefined) seen.add(`${SYSTEMD_SYSTEM_DIR}/${u.name}`);
    for (const d of u.dropins ?? []) seen.add(`${SYSTEMD_SYSTEM_DIR}/${u.name}.d/${d.name}`);
  }
  for (const p of [...files.map((f) => f.path), ...links.map((l) => l.path)]) {
    if (seen.has(p)) throw new Error(`emitIgnition: ${p} is written twice (file, link or unit)`);
    seen.add(p);
  }
}

/** Builds the Ignition config object for a node (emitIgnition serializes it). Throws on plan bugs. */
export function buildIgnitionConfig(plan: NodePlan, opts: IgnitionOptions): IgnitionConfig {
  const files: IgnitionFile[] = plan.files.map(planFile);
  if (!plan.files.some((f) => f.path === HOSTNAME_PATH)) {
    files.push(textFile(HOSTNAME_PATH, `${plan.hostname}\n`, 0o644, 'root:root'));
  }
  for (const n of networkdFiles(plan.network)) files.push(textFile(n.path, n.content, 0o644, 'root:root'));
  const arch = plan.node.arch;
  // Ignition fetches the sysext in the initramfs, before any script could look at uname -m.
  if (arch === 'auto') throw new Error(`emitIgnition: node ${plan.node.name} has arch auto; Flatcar needs amd64 or arm64 (the profile rules reject this)`);
  const sysext = kubernetesSysext(opts.kubernetesVersion, arch, opts.flatcar);
  files.push(sysext.file);
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const links = [sysext.link];
  const units = ignitionUnits(plan);
  assertNoConflicts(files, links, units);
  return {
    ignition: {
      version: opts.specVersion ?? DEFAULT_SPEC_VERSION,
      ...(opts.proxy !== undefined
        ? {
            proxy: {
              ...(opts.proxy.http !== undefined ? { httpProxy: opts.proxy.http } : {}),
              ...(opts.proxy.https !== undefined ? { httpsProxy: opts.proxy.https } : {}),
              noProxy: opts.proxy.noProxy,
            },
          }
        : {}),
    },
    passwd: { users: ignitionUsers(plan.users) },
    storage: { files, links },
    systemd: { units },
  };
}

/**
 * Returns the node's Ignition config (spec 3.4.0, or opts.specVersion) as JSON text with a final newline:
 * every plan file (data URLs, gzip when shorter), /etc/hostname, networkd files,
 * the Kubernetes sysext and its link, users (core gets every login key), the
 * bootstrap oneshot, kubelet, the containerd drop-in and the plan's units.
 * Throws only on plan bugs (duplicate paths, clashing units, bad sysext settings).
 */
export function emitIgnition(plan: NodePlan, opts: IgnitionOptions): string {
  return `${JSON.stringify(buildIgnitionConfig(plan, opts), null, opts.pretty ? 2 : undefined)}\n`;
}

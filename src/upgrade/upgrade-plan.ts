/**
 * The upgrade planner: profile + target version in, the files of
 * out/<cluster>/upgrade/<from>-to-<to>/ out (one script per node, ORDER,
 * README.md, run-upgrade.sh). Pure: the CLI validates the step and writes.
 */
import type { CpuArch, Profile, ProfileNode } from '../profile/types.js';
import type { TemplateSet } from '../template/render-template.js';
import { renderTemplate } from '../template/render-template.js';
import { shellQuote } from '../util/shell-quote.js';
import { aptRepositoryUrl, requireVersionInfo, versionInfo } from '../kube/versions.js';
import { minorOf, versionChange } from '../kube/version-step.js';
import { sysextImageName, sysextUrl as resolveSysextUrl } from '../emit/ignition/sysext.js';
import { isInitNode } from '../plan/build-node-plan.js';
import { renderShellLibrary } from '../plan/shell-library.js';
import { trimShellLibrary } from '../plan/trim-shell-library.js';

/** How the nodes get their Kubernetes binaries: pkgs.k8s.io apt packages, or Flatcar's sysext. */
export type UpgradeTarget = 'apt' | 'flatcar';

/** What to plan. */
export interface UpgradeRequest {
  /** The profile (its nodes, cluster name, apt repository, flatcar settings). */
  profile: Profile;
  /** Version the cluster runs now, "x.y.z". */
  from: string;
  /** Version to upgrade to, "x.y.z"; must be a step `upgradeRefusal` accepts and a supported minor. */
  to: string;
  target: UpgradeTarget;
  templates: TemplateSet;
  /** Flatcar: sha256 of the new sysext image per architecture; without one the script reads the SHA256SUMS next to the image. */
  sysextSha256?: Partial<Record<CpuArch, string>>;
  /** Flatcar: where the new sysext image is; default the sysext-bakery URL for `to`. */
  sysextUrl?: string;
}

/** One file of the upgrade directory. */
export interface UpgradeFile {
  /** Relative to out/<cluster>/upgrade/<from>-to-<to>/. */
  path: string;
  content: string;
  mode: number;
}

/** Bounds of the waits in the scripts. */
export const UPGRADE_DRAIN_TIMEOUT_SECONDS = 600;
export const UPGRADE_READY_TIMEOUT_SECONDS = 600;

/** Where upgrade plans go in out/<cluster>/; generation runs keep it. */
export const UPGRADE_DIR = 'upgrade';

/** "upgrade/1.30.0-to-1.31.2", relative to out/<cluster>/. */
export function upgradeDir(from: string, to: string): string {
  return `${UPGRADE_DIR}/${from}-to-${to}`;
}

/**
 * Nodes in upgrade order: the first control plane (kubeadm upgrade apply), the
 * other control planes, then the workers, each group in profile order.
 */
export function upgradeOrder(profile: Profile): ProfileNode[] {
  const init = profile.nodes.filter((n) => isInitNode(profile, n));
  const otherControlPlanes = profile.nodes.filter((n) => n.role === 'control-plane' && !isInitNode(profile, n));
  return [...init, ...otherControlPlanes, ...profile.nodes.filter((n) => n.role === 'worker')];
}

function whatRuns(profile: Profile, node: ProfileNode): string {
  if (isInitNode(profile, node)) return 'kubeadm upgrade apply';
  return node.role === 'control-plane' ? 'kubeadm upgrade node' : 'kubeadm upgrade node; drained and uncordoned from the first control plane';
}

/**
 * The files of the upgrade directory. Throws when `to` is not a supported minor
 * or the step is not a patch or next-minor upgrade: the CLI checks both first.
 */
export function planUpgrade(req: UpgradeRequest): UpgradeFile[] {
  const { profile, from, to, target, templates } = req;
  const change = versionChange(from, to);
  if (change !== 'patch' && change !== 'minor') throw new Error(`planUpgrade: ${from} → ${to} is not an upgrade step (${change})`);
  const toInfo = requireVersionInfo(to);
  const repo = profile.packages.aptRepository;
  // Per node below: each downloads the image of its architecture (Flatcar nodes are never auto).
  const archOf = (node: ProfileNode): CpuArch => (node.arch === 'auto' ? 'amd64' : node.arch);
  const sysextUrlFor = (arch: CpuArch): string => resolveSysextUrl(to, arch, { sysextUrl: req.sysextUrl });
  const sysextUrl = sysextUrlFor(archOf(profile.nodes[0]!));
  const common = {
    cluster: profile.cluster.name,
    from,
    to,
    toQ: shellQuote(to),
    toMinor: `v${minorOf(to)}`,
    minorChange: change === 'minor',
    apt: target === 'apt',
    flatcar: target === 'flatcar',
    repoUrl: shellQuote(aptRepositoryUrl(to, repo.url)),
    keyFile: repo.key !== undefined,
    sysextUrl: shellQuote(sysextUrl),
    sysextImage: sysextImageName(to, archOf(profile.nodes[0]!)),
    drainTimeoutSeconds: UPGRADE_DRAIN_TIMEOUT_SECONDS,
    readyTimeoutSeconds: UPGRADE_READY_TIMEOUT_SECONDS,
  };
  // Every script drains or uncordons from a control plane: the control-plane parts
  // (kubectl_admin), trimmed to the functions the script calls.
  const fullLibrary = renderShellLibrary(templates, { controlPlane: true, kubeVip: false });
  const order = upgradeOrder(profile);
  const scripts = order.map((node) => {
    const view = {
      ...common,
      node: node.name,
      nodeQ: shellQuote(node.name),
      role: node.role,
      first: isInitNode(profile, node),
      controlPlane: node.role === 'control-plane',
      defaultPhase: node.role === 'control-plane' ? 'all' : 'node',
      sysextUrl: shellQuote(sysextUrlFor(archOf(node))),
      sysextImage: sysextImageName(to, archOf(node)),
      sysextSha256: shellQuote(req.sysextSha256?.[archOf(node)]?.toLowerCase() ?? ''),
    };
    const withoutLibrary = renderTemplate(templates, 'upgrade/upgrade-node.sh', { ...view, library: '' });
    const library = trimShellLibrary(fullLibrary, [withoutLibrary]).replace(/\n+$/, '');
    return { path: `upgrade-${node.name}.sh`, mode: 0o755, content: renderTemplate(templates, 'upgrade/upgrade-node.sh', { ...view, library }) };
  });
  const orderText = [
    `# Upgrade order of cluster ${profile.cluster.name}, Kubernetes ${from} -> ${to}: one node at a time, top to bottom.`,
    '# node ip role (run-upgrade.sh reads the first three fields; delete lines of nodes already done if you like)',
    ...order.map((n) => `${n.name} ${n.ip} ${n.role} ${whatRuns(profile, n)}`),
  ].join('\n');
  const sshUser = profile.access.users[0]?.name ?? 'root';
  const readmeView = {
    ...common,
    repoUrl: aptRepositoryUrl(to, repo.url),
    sysextUrl,
    // Where the README says the digest comes from.
    sysextSha256: Object.keys(req.sysextSha256 ?? {}).length > 0,
    kind: change === 'minor' ? `minor upgrade, ${minorOf(from)} → ${minorOf(to)}` : `patch upgrade within ${minorOf(to)}`,
    // The kubeadm config API of newly generated nodes changes with this step (1.30 → 1.31: v1beta3 → v1beta4).
    apiChange: (versionInfo(from)?.kubeadmApiVersion ?? toInfo.kubeadmApiVersion) !== toInfo.kubeadmApiVersion,
    nodes: order.map((n, i) => ({ index: i + 1, name: n.name, ip: n.ip, role: n.role, what: whatRuns(profile, n) })),
  };
  return [
    { path: 'ORDER', mode: 0o644, content: `${orderText}\n` },
    { path: 'README.md', mode: 0o644, content: renderTemplate(templates, 'upgrade/README.md', readmeView) },
    {
      path: 'run-upgrade.sh',
      mode: 0o755,
      content: renderTemplate(templates, 'upgrade/run-upgrade.sh', { ...common, sshUser, sshUserQ: shellQuote(sshUser) }),
    },
    ...scripts,
  ].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}


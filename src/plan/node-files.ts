import type { Profile, ProfileNode } from '../profile/types.js';
import type { PlanFile } from './types.js';
import type { TemplateSet } from '../template/render-template.js';
import { renderNodeFile, renderTemplate } from '../template/render-template.js';
import { kernelModules } from './kernel-modules.js';
import { NODE_PATHS, type PlanTarget } from './paths.js';
import { sandboxImage } from './sandbox-image.js';
import { aptTrack } from '../kube/versions.js';
import { KUBELET_KERNEL_SYSCTLS } from '../kube/kubelet-configuration.js';
import { defaultDenyManifest } from '../kube/default-deny.js';
import { registryMirrors } from './registry-mirrors.js';
import { usesPrebakedImage } from './prebaked.js';
import { hostsEntries } from './hosts-entries.js';
import { siteFiles, trustCertificatePaths } from './site-files.js';
import { iptablesRestoreRules } from './iptables-rules.js';
import { firewallPorts } from './firewall-ports.js';
import { requiredIpProtocols } from '../kube/ports.js';

function file(path: string, content: string, opts: Partial<Pick<PlanFile, 'mode' | 'secret'>> = {}): PlanFile {
  return { path, mode: opts.mode ?? 0o644, owner: 'root:root', content, secret: opts.secret ?? false };
}

/**
 * Host and runtime configuration files of a node: its list for the /etc/hosts block
 * (hostsEntries; none with network.hostsEntries "none"), plus imageFiles unless the
 * node boots from a prebaked golden image that already has them.
 */
export function hostFiles(profile: Profile, templates: TemplateSet, target: PlanTarget, node: ProfileNode): PlanFile[] {
  const entries = hostsEntries(profile, node);
  const hosts = entries === undefined ? [] : [file(NODE_PATHS.hostsList, renderTemplate(templates, 'files/hosts', { nodes: entries }))];
  const auth = node.role === 'control-plane' && profile.images.auth.length > 0;
  if (usesPrebakedImage(profile, target)) return auth ? [...hosts, containerdConfigFile(profile, templates, true)] : hosts;
  const image = imageFiles(profile, templates, target);
  if (target === 'flatcar') {
    // Flatcar: the bootstrap builds the containerd config from the image's own (appending
    // the credentials, if any); no ufw, so firewall.mode ports is a rules file for
    // Flatcar's iptables-restore.service.
    const firewall = profile.firewall.mode === 'ports'
      ? [file(NODE_PATHS.iptablesRules, iptablesRestoreRules(firewallPorts(profile, node), requiredIpProtocols(profile.cluster.cni), profile.network.cidr, profile.cluster.podSubnet))]
      : [];
    const credentials = auth ? [file(NODE_PATHS.containerdRegistryAuth, registryAuthTables(profile, templates), SECRET)] : [];
    return [...hosts, ...image.filter((f) => f.path !== NODE_PATHS.containerdConfig), ...firewall, ...credentials];
  }
  // Registry credentials go to control planes only, in their own copy of containerd's
  // config (0600), which replaces the shared one (or the golden image's).
  if (!auth) return [...hosts, ...image];
  return [...hosts, ...image.filter((f) => f.path !== NODE_PATHS.containerdConfig), containerdConfigFile(profile, templates, true)];
}

const SECRET = { secret: true, mode: 0o600 } as const;

/** TOML basic strings are JSON strings for the printable text the profile checks allow. */
function tomlString(s: string): string {
  return JSON.stringify(s);
}

/** containerd's per-registry credential tables (images.auth), in config version 2's names. */
function registryAuthTables(profile: Profile, templates: TemplateSet): string {
  const registryAuth = profile.images.auth.map((a) => {
    if (a.password === undefined) throw new Error(`bug: the password of ${a.registry} was not read`);
    return { registry: tomlString(a.registry), username: tomlString(a.username), password: tomlString(a.password) };
  });
  return renderNodeFile(templates, 'files/containerd-registry-auth.toml', { registryAuth });
}

/**
 * containerd's config.toml; with `withAuth`, containerd's per-registry credentials
 * (images.auth) too, and then the file is a secret (0600).
 */
export function containerdConfigFile(profile: Profile, templates: TemplateSet, withAuth: boolean): PlanFile {
  const content = renderNodeFile(templates, 'files/containerd-config.toml', {
    sandboxImage: sandboxImage(profile),
    kubernetesMinor: aptTrack(profile.cluster.kubernetesVersion).slice(1),
  });
  return withAuth ? file(NODE_PATHS.containerdConfig, content + registryAuthTables(profile, templates), SECRET) : file(NODE_PATHS.containerdConfig, content);
}

/**
 * The node-independent files, the same on every node of the cluster: module and sysctl
 * drop-ins, containerd and crictl config, containerd registry mirrors (images.repository)
 * and the embedded apt key. First boot writes them, or provision.sh bakes them into a
 * golden image. Sorted by path.
 */
export function imageFiles(profile: Profile, templates: TemplateSet, target: PlanTarget = 'cloud-init'): PlanFile[] {
  const files = [
    file(NODE_PATHS.modulesLoad, renderNodeFile(templates, 'files/modules-load.conf', { modules: kernelModules(profile.cluster.kubeProxyMode) })),
    // kubelet.protectKernelDefaults: kubelet only starts when these hold (kubelet-configuration.ts).
    file(NODE_PATHS.sysctl, renderNodeFile(templates, 'files/sysctl.conf', {
      kubeletSysctls: profile.kubelet.protectKernelDefaults ? KUBELET_KERNEL_SYSCTLS.map(([key, value]) => ({ key, value })) : [],
    })),
    containerdConfigFile(profile, templates, false),
    file(NODE_PATHS.crictl, renderTemplate(templates, 'files/crictl.yaml', {})),
    ...registryHostsFiles(profile, templates, target),
    ...siteFiles(profile, templates, target),
  ];
  if (profile.packages.aptRepository.key !== undefined) files.push(file(NODE_PATHS.aptKey, profile.packages.aptRepository.key));
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** containerd hosts.toml files that send docker.io, ghcr.io, quay.io and registry.k8s.io pulls to images.repository; none without it. */
export function registryHostsFiles(profile: Profile, templates: TemplateSet, target: PlanTarget = 'cloud-init'): PlanFile[] {
  const repository = profile.images.repository;
  if (repository === undefined) return [];
  // The mirror may have a certificate from the site CA (trust): containerd is told so per host.
  const caPaths = trustCertificatePaths(profile, target);
  const ca = caPaths.length > 0 ? JSON.stringify(caPaths).replace(/,/g, ', ') : false;
  return registryMirrors(repository).map((m) =>
    file(`${NODE_PATHS.registryHostsDir}/${m.registry}/hosts.toml`, renderNodeFile(templates, 'files/registry-hosts.toml', { ...m, ca })),
  );
}

/**
 * Manifests only the init node applies: those embedded at generation time (air-gapped
 * CNI/add-ons) and the default-deny NetworkPolicies (security.defaultDenyNamespaces).
 */
export function manifestFiles(profile: Profile): PlanFile[] {
  const files: PlanFile[] = [];
  const defaultDeny = defaultDenyManifest(profile);
  if (defaultDeny !== undefined) files.push(file(NODE_PATHS.defaultDenyManifest, defaultDeny));
  const cni = profile.cluster.cni;
  if (cni.manifest !== undefined) files.push(file(`${NODE_PATHS.manifestsDir}/cni-${cni.plugin}.yaml`, cni.manifest));
  for (const name of ['metricsServer', 'ingressNginx'] as const) {
    const addon = profile.addons[name];
    if (addon.enabled && addon.manifest !== undefined) files.push(file(`${NODE_PATHS.manifestsDir}/addon-${name}.yaml`, addon.manifest));
  }
  return files;
}

/**
 * The profile's nodes as "name role ip" lines, which the init node's CSR approver and
 * token revoker compare against: the one file that grows with the cluster, carried
 * by the init node only (where those timers run).
 */
export function expectedNodesFile(profile: Profile): PlanFile {
  return file(NODE_PATHS.expectedNodes, profile.nodes.map((n) => `${n.name} ${n.role} ${n.ip}\n`).join(''));
}

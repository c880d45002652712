import type { Profile, ProfileNode } from '../profile/types.js';
import type { PlanFile } from './types.js';
import type { TemplateSet } from '../template/render-template.js';
import { renderNodeFile, renderTemplate } from '../template/render-template.js';
import { kernelModules } from './kernel-modules.js';
import { NODE_PATHS, type PlanTarget } from './paths.js';
import { sandboxImage } from './sandbox-image.js';
import { aptTrack } from '../kube/versions.js';
import { registryMirrors } from './registry-mirrors.js';
import { usesPrebakedImage } from './prebaked.js';
import { hostsEntries } from './hosts-entries.js';
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
  if (usesPrebakedImage(profile, target)) return hosts;
  if (target === 'cloud-init') return [...hosts, ...imageFiles(profile, templates)];
  // Flatcar: the bootstrap builds the containerd config from the image's own; no ufw, so
  // firewall.mode ports is a rules file for Flatcar's iptables-restore.service.
  const firewall = profile.firewall.mode === 'ports'
    ? [file(NODE_PATHS.iptablesRules, iptablesRestoreRules(firewallPorts(profile, node), requiredIpProtocols(profile.cluster.cni), profile.network.cidr, profile.cluster.podSubnet))]
    : [];
  return [...hosts, ...imageFiles(profile, templates).filter((f) => f.path !== NODE_PATHS.containerdConfig), ...firewall];
}

/**
 * The node-independent files, the same on every node of the cluster: module and sysctl
 * drop-ins, containerd and crictl config, containerd registry mirrors (images.repository)
 * and the embedded apt key. First boot writes them, or provision.sh bakes them into a
 * golden image. Sorted by path.
 */
export function imageFiles(profile: Profile, templates: TemplateSet): PlanFile[] {
  const version = profile.cluster.kubernetesVersion;
  const files = [
    file(NODE_PATHS.modulesLoad, renderNodeFile(templates, 'files/modules-load.conf', { modules: kernelModules(profile.cluster.kubeProxyMode) })),
    file(NODE_PATHS.sysctl, renderNodeFile(templates, 'files/sysctl.conf', {})),
    file(NODE_PATHS.containerdConfig, renderNodeFile(templates, 'files/containerd-config.toml', {
      sandboxImage: sandboxImage(profile),
      kubernetesMinor: aptTrack(version).slice(1),
    })),
    file(NODE_PATHS.crictl, renderTemplate(templates, 'files/crictl.yaml', {})),
    ...registryHostsFiles(profile, templates),
  ];
  if (profile.packages.aptRepository.key !== undefined) files.push(file(NODE_PATHS.aptKey, profile.packages.aptRepository.key));
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** containerd hosts.toml files that send docker.io, ghcr.io, quay.io and registry.k8s.io pulls to images.repository; none without it. */
export function registryHostsFiles(profile: Profile, templates: TemplateSet): PlanFile[] {
  const repository = profile.images.repository;
  if (repository === undefined) return [];
  return registryMirrors(repository).map((m) =>
    file(`${NODE_PATHS.registryHostsDir}/${m.registry}/hosts.toml`, renderNodeFile(templates, 'files/registry-hosts.toml', m)),
  );
}

/** Manifests embedded at generation time (air-gapped CNI/add-ons); only the init node applies them. */
export function manifestFiles(profile: Profile): PlanFile[] {
  const files: PlanFile[] = [];
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

import type { Profile, ProfileNode } from '../profile/types.js';
import type { ClusterSecrets } from '../pki/types.js';
import type { NodePlan, PlanFile, PlanNetwork, PlanUnit } from './types.js';
import type { TemplateSet } from '../template/render-template.js';
import { renderNodeFile, renderTemplate } from '../template/render-template.js';
import { shellQuote } from '../util/shell-quote.js';
import { buildKubeadmConfig } from '../kube/kubeadm-config.js';
import { KUBELET_PATCH_FILE, kubeletReservationPatch } from '../kube/kubelet-reservation-patch.js';
import { caCertHash } from '../pki/ca-cert-hash.js';
import { formatToken } from '../pki/bootstrap-token.js';
import { secretsKeyAlgorithm } from '../pki/key-algorithm.js';
import { bootstrapSteps, type StepContext } from './bootstrap-steps.js';
import { controlPlanePkiFiles } from './pki-files.js';
import { apiServerConfigFiles } from './apiserver-config-files.js';
import { expectedNodesFile, hostFiles, manifestFiles } from './node-files.js';
import { NODE_PATHS, binDir, type PlanTarget } from './paths.js';
import { kubeVipPlan } from './kube-vip-files.js';
import { tokenRevokeExtras } from './token-revoke.js';
import { clusterVerifyExtras } from './cluster-verify.js';
import { shellLibraryFile, shellLibraryParts, shellLibraryView } from './shell-library.js';
import { proxyExports } from './site-files.js';
import { nodeTools } from './node-tools.js';

/** Inputs for one node's plan. */
export interface NodePlanInput {
  profile: Profile;
  secrets: ClusterSecrets;
  node: ProfileNode;
  templates: TemplateSet;
  target: PlanTarget;
  /** The discovery hash of secrets.ca; computed when absent (pass it when planning many nodes). */
  caCertHash?: string;
  /** The algorithm of secrets.ca's key; read from it when absent (pass it when planning many nodes). */
  keyAlgorithm?: string;
}

/** The first control plane in the profile runs kubeadm init; everything else joins. */
export function isInitNode(profile: Profile, node: ProfileNode): boolean {
  return profile.nodes.find((n) => n.role === 'control-plane')?.name === node.name;
}

function nodeNetwork(profile: Profile, node: ProfileNode): PlanNetwork {
  const prefix = profile.network.cidr.split('/')[1];
  return {
    match: node.mac !== undefined ? { macAddress: node.mac.toLowerCase() } : { name: profile.network.interface },
    interfaceName: profile.network.interface,
    address: `${node.ip}/${prefix}`,
    ...(profile.network.gateway !== undefined ? { gateway: profile.network.gateway } : {}),
    nameservers: [...profile.network.nameservers],
    dhcpInterfaces: [...profile.network.dhcpInterfaces],
  };
}

function initNodeUnits(profile: Profile, templates: TemplateSet, target: PlanTarget): { units: PlanUnit[]; files: PlanFile[] } {
  if (!profile.kubelet.serverTLSBootstrap) return { units: [], files: [] };
  const script = `${binDir(target)}/gen-userdata-approve-csrs`;
  return {
    files: [{
      path: script,
      mode: 0o755,
      owner: 'root:root',
      content: renderNodeFile(templates, 'approve-csrs.sh', { ...shellLibraryView(target), expectedNodes: shellQuote(NODE_PATHS.expectedNodes) }),
      secret: false,
    }],
    units: [
      { name: 'gen-userdata-approve-csrs.service', content: renderTemplate(templates, 'units/gen-userdata-approve-csrs.service', { script }), enabled: false },
      { name: 'gen-userdata-approve-csrs.timer', content: renderTemplate(templates, 'units/gen-userdata-approve-csrs.timer', {}), enabled: true },
    ],
  };
}

/** The node's kubelet reservation patch for kubeadm, when its capacity gives one. */
function kubeletPatchFiles(profile: Profile, node: ProfileNode): PlanFile[] {
  const patch = kubeletReservationPatch(profile, node);
  return patch === undefined ? [] : [{ path: KUBELET_PATCH_FILE, mode: 0o644, owner: 'root:root', content: patch, secret: false }];
}

/**
 * Builds the distribution-neutral first-boot plan for one node. Control planes get the
 * shared CAs and the service-account pair; workers get only the token and CA hash.
 * Throws only on programmer error (the profile has been validated).
 */
export function buildNodePlan(input: NodePlanInput): NodePlan {
  const { profile, secrets, node, templates, target } = input;
  const init = isInitNode(profile, node);
  const extras = { units: [] as PlanUnit[], files: [] as PlanFile[] };
  const parts = [
    nodeTools({ profile, node, init, templates, target }),
    ...(init ? [initNodeUnits(profile, templates, target), tokenRevokeExtras(profile, secrets, templates, target), clusterVerifyExtras(profile, templates, target)] : []),
  ];
  for (const e of parts) {
    extras.units.push(...e.units);
    extras.files.push(...e.files);
  }
  const ctx: StepContext = {
    profile, node, init, target, templates,
    unitsToEnable: extras.units.filter((u) => u.enabled).map((u) => u.name),
  };
  const steps = bootstrapSteps(ctx);
  const scriptPath = `${binDir(target)}/gen-userdata-bootstrap`;
  const script = renderNodeFile(templates, 'bootstrap.sh', {
    ...shellLibraryView(target),
    node: shellQuote(node.name),
    role: node.role,
    cluster: shellQuote(profile.cluster.name),
    logPath: shellQuote(NODE_PATHS.log),
    successMarker: shellQuote(NODE_PATHS.successMarker),
    failureMarker: shellQuote(NODE_PATHS.failureMarker),
    kubeadmConfig: shellQuote(NODE_PATHS.kubeadmConfig),
    proxyExports: proxyExports(profile),
    kubeadmPatches: shellQuote(NODE_PATHS.kubeadmPatches),
    // apt, ufw and Debian's package names: refuse another distribution up front.
    debianFamily: target === 'cloud-init',
    flatcar: target === 'flatcar',
    steps: steps.map((s) => ({ name: s.name, fn: s.name.replace(/-/g, '_'), body: s.body })),
  });
  const kubeadmConfig = buildKubeadmConfig({
    profile, node, init,
    token: formatToken(secrets.bootstrapToken),
    caCertHash: input.caCertHash ?? caCertHash(secrets.ca.cert),
    keyAlgorithm: input.keyAlgorithm ?? secretsKeyAlgorithm(secrets),
  });
  const files: PlanFile[] = [
    ...hostFiles(profile, templates, target, node),
    { path: NODE_PATHS.kubeadmConfig, mode: 0o600, owner: 'root:root', content: kubeadmConfig, secret: true },
    { path: scriptPath, mode: 0o755, owner: 'root:root', content: script, secret: false, compress: 'to-fit' as const },
    ...(node.role === 'control-plane' ? [...controlPlanePkiFiles(secrets), ...apiServerConfigFiles(profile, secrets)] : []),
    ...kubeVipPlan(profile, node, init).files,
    ...kubeletPatchFiles(profile, node),
    ...(init ? [...manifestFiles(profile), expectedNodesFile(profile)] : []),
    ...extras.files,
  ];
  // Last: the library keeps only the functions the node's scripts (node tools included) call.
  const callers = files.filter((f) => f.content.startsWith('#!')).map((f) => f.content);
  files.push(shellLibraryFile(templates, target, shellLibraryParts(profile, node), callers));
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return {
    cluster: profile.cluster.name,
    node: { name: node.name, role: node.role, ip: node.ip, init, arch: node.arch },
    hostname: node.name,
    files,
    units: extras.units,
    users: profile.access.users.map((u) => ({ name: u.name, sshAuthorizedKeys: [...u.sshAuthorizedKeys], sudo: u.sudo, shell: u.shell })),
    network: nodeNetwork(profile, node),
    bootstrap: {
      scriptPath,
      command: [scriptPath],
      steps,
      successMarker: NODE_PATHS.successMarker,
      failureMarker: NODE_PATHS.failureMarker,
      logPath: NODE_PATHS.log,
    },
  };
}

/**
 * Plans for every node of the profile, in profile order, built one at a time
 * as the caller iterates: a plan holds ~150 KB of rendered text, so holding
 * all of a 1000-node cluster's plans at once would cost ~150 MB.
 */
export function* clusterPlans(profile: Profile, secrets: ClusterSecrets, templates: TemplateSet, target: PlanTarget): Generator<NodePlan> {
  const hash = caCertHash(secrets.ca.cert);
  const keyAlgorithm = secretsKeyAlgorithm(secrets);
  for (const node of profile.nodes) yield buildNodePlan({ profile, secrets, node, templates, target, caCertHash: hash, keyAlgorithm });
}

/** Plans for every node of the profile, in profile order, as an array. */
export function buildClusterPlans(profile: Profile, secrets: ClusterSecrets, templates: TemplateSet, target: PlanTarget): NodePlan[] {
  return [...clusterPlans(profile, secrets, templates, target)];
}

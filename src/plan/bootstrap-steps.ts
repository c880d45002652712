import type { Profile, ProfileNode } from '../profile/types.js';
import type { PlanStep } from './types.js';
import type { TemplateSet } from '../template/render-template.js';
import { renderTemplate } from '../template/render-template.js';
import { shellQuote, shellWords } from '../util/shell-quote.js';
import { parseEndpoint } from '../kube/endpoint.js';
import { aptTrack, packageVersion } from '../kube/versions.js';
import { requiredIpProtocols, requiredPorts } from '../kube/ports.js';
import { cniManifestUrl, addonManifestUrl } from '../kube/manifests.js';
import { kernelModules } from './kernel-modules.js';
import { NODE_PATHS, type PlanTarget } from './paths.js';
import { sandboxImage } from './sandbox-image.js';

/** What a step needs to know about the node it runs on. */
export interface StepContext {
  profile: Profile;
  node: ProfileNode;
  init: boolean;
  target: PlanTarget;
  templates: TemplateSet;
  /** systemd units the init node enables after the cluster is up. */
  unitsToEnable: string[];
}

/** Whether this node installs packages itself (Debian/Ubuntu, not prebaked). */
function installsPackages(ctx: StepContext): boolean {
  return ctx.target === 'cloud-init' && ctx.profile.packages.install && !ctx.profile.images.prebaked;
}

function step(ctx: StepContext, name: string, template: string, view: object = {}): PlanStep {
  return { name, body: renderTemplate(ctx.templates, `steps/${template}.sh`, view).replace(/\n+$/, '') };
}

/** Host preparation steps, the same on every role. */
export function hostSteps(ctx: StepContext): PlanStep[] {
  const { profile } = ctx;
  const modules = kernelModules(profile.cluster.kubeProxyMode);
  return [
    step(ctx, 'hostname', 'hostname', { hostname: shellQuote(ctx.node.name), hostsFile: shellQuote(NODE_PATHS.hostsList) }),
    step(ctx, 'swap', 'swap'),
    step(ctx, 'kernel-modules', 'kernel-modules', {
      modules: shellWords(modules),
      modulesPlain: modules.join(' '),
      modulesFile: NODE_PATHS.modulesLoad,
    }),
    step(ctx, 'sysctl', 'sysctl', { sysctlFile: shellQuote(NODE_PATHS.sysctl) }),
    firewallStep(ctx),
  ];
}

function firewallStep(ctx: StepContext): PlanStep {
  const { profile, node } = ctx;
  if (ctx.target === 'flatcar') return step(ctx, 'firewall', 'firewall-none');
  if (profile.firewall.mode === 'disabled') return step(ctx, 'firewall', 'firewall-disabled');
  const ports = requiredPorts({ role: node.role, cni: profile.cluster.cni.plugin, kubeProxyMode: profile.cluster.kubeProxyMode });
  return step(ctx, 'firewall', 'firewall-ports', {
    install: installsPackages(ctx),
    ports: ports.map((p) => ({ rule: shellQuote(`${p.port.replace('-', ':')}/${p.proto}`), why: shellQuote(p.why) })),
    podSubnet: shellQuote(profile.cluster.podSubnet),
    nodeCidr: profile.network.cidr,
    protocols: requiredIpProtocols(profile.cluster.cni).map((p) => ({ protocol: p.protocol, name: p.name, why: p.why })),
  });
}

/** containerd and Kubernetes packages: installed, or only verified. */
export function runtimeSteps(ctx: StepContext): PlanStep[] {
  const { profile } = ctx;
  const version = profile.cluster.kubernetesVersion;
  const install = installsPackages(ctx);
  const repoUrl = `${profile.packages.aptRepository.url.replace(/\/+$/, '')}/${aptTrack(version)}/deb/`;
  const extraPackages = profile.cluster.kubeProxyMode === 'ipvs' ? ' ipset ipvsadm' : '';
  return [
    install ? step(ctx, 'containerd', 'containerd-install') : step(ctx, 'containerd', 'containerd-verify'),
    step(ctx, 'containerd-config', 'containerd-config', {
      configFile: NODE_PATHS.containerdConfig,
      sandboxImage: sandboxImage(profile),
      sandboxImagePattern: sandboxImage(profile).replace(/[.]/g, '\\.'),
    }),
    install
      ? step(ctx, 'kubernetes-packages', 'kubernetes-packages-install', {
          repoUrl: shellQuote(repoUrl),
          keyFile: profile.packages.aptRepository.key !== undefined ? shellQuote(NODE_PATHS.aptKey) : '',
          packageVersion: shellQuote(packageVersion(version)),
          kubeVersion: shellQuote(`v${version}`),
          extraPackages,
        })
      : step(ctx, 'kubernetes-packages', 'kubernetes-packages-verify', {
          kubeVersion: shellQuote(`v${version}`),
          source: ctx.target === 'flatcar' ? 'from the Kubernetes sysext' : 'prebaked image',
        }),
    step(ctx, 'kubelet', 'kubelet'),
  ];
}

/** kubeadm init plus everything the first control plane sets up afterwards. */
export function initSteps(ctx: StepContext): PlanStep[] {
  const { profile } = ctx;
  const users = profile.access.users.filter((u) => u.kubeconfig).map((u) => u.name);
  const steps = [
    step(ctx, 'kubeadm-init', 'kubeadm-init'),
    step(ctx, 'kubeconfig', 'kubeconfig', { users: shellWords(users), usersPlain: users.join(', ') }),
    step(ctx, 'wait-api', 'wait-api'),
  ];
  const cni = profile.cluster.cni;
  if (cni.plugin !== 'none') {
    steps.push(
      step(ctx, 'cni', 'cni', {
        plugin: cni.plugin,
        calico: cni.plugin === 'calico',
        flannel: cni.plugin === 'flannel',
        podSubnet: shellQuote(profile.cluster.podSubnet),
        embedded: cni.manifest !== undefined ? shellQuote(`${NODE_PATHS.manifestsDir}/cni-${cni.plugin}.yaml`) : '',
        url: shellQuote(cniManifestUrl(cni) ?? ''),
      }),
    );
  }
  const addons = (['metricsServer', 'ingressNginx'] as const)
    .filter((name) => profile.addons[name].enabled)
    .map((name) => ({
      name,
      embedded: profile.addons[name].manifest !== undefined ? shellQuote(`${NODE_PATHS.manifestsDir}/addon-${name}.yaml`) : '',
      url: shellQuote(addonManifestUrl(name, profile.addons[name])),
    }));
  if (addons.length > 0) steps.push(step(ctx, 'addons', 'addons', { addons }));
  if (ctx.unitsToEnable.length > 0) {
    steps.push(step(ctx, 'enable-units', 'enable-units', { units: ctx.unitsToEnable.map((name) => ({ name: shellQuote(name) })) }));
  }
  return steps;
}

/** kubeadm join with endpoint wait, retries and resets, bounded by cluster.joinTimeout. */
export function joinSteps(ctx: StepContext): PlanStep[] {
  const endpoint = parseEndpoint(ctx.profile.cluster.controlPlaneEndpoint);
  return [
    step(ctx, 'kubeadm-join', 'kubeadm-join', {
      endpointHost: shellQuote(endpoint.host),
      endpointPort: endpoint.port,
      joinTimeoutSeconds: ctx.profile.cluster.joinTimeoutSeconds,
    }),
  ];
}

/** Every step of one node's first boot, in order. */
export function bootstrapSteps(ctx: StepContext): PlanStep[] {
  return [...hostSteps(ctx), ...runtimeSteps(ctx), ...(ctx.init ? initSteps(ctx) : joinSteps(ctx))];
}

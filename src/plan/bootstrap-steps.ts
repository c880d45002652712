import type { Profile, ProfileNode } from '../profile/types.js';
import type { PlanStep } from './types.js';
import type { TemplateSet } from '../template/render-template.js';
import { renderTemplate } from '../template/render-template.js';
import { shellQuote, shellWords } from '../util/shell-quote.js';
import { parseEndpoint } from '../kube/endpoint.js';
import { aptTrack, packageVersion } from '../kube/versions.js';
import { requiredIpProtocols } from '../kube/ports.js';
import { firewallPorts } from './firewall-ports.js';
import { cniManifestUrl, addonManifestUrl } from '../kube/manifests.js';
import { kernelModules } from './kernel-modules.js';
import { NODE_PATHS, type PlanTarget } from './paths.js';
import { sandboxImage } from './sandbox-image.js';
import { kubeVipPlan } from './kube-vip-files.js';
import { KUBE_VIP_MANIFEST_PATH } from '../kube/kube-vip.js';
import { usesPrebakedImage } from './prebaked.js';
import { goldenImageStep } from './golden-image-step.js';
import { ufwAllowRules } from './ufw-rules.js';
import { hostsEntries } from './hosts-entries.js';
import { ingressHostPortPatch } from '../kube/ingress-host-port.js';
import { STATUS_CONFIGMAP, VERIFY_SERVICE } from './cluster-verify.js';
import { trustCertificatePaths } from './site-files.js';

/** The node-independent part of a step's context: all that provision.sh (golden image) steps need. */
export interface ImageStepContext {
  profile: Profile;
  target: PlanTarget;
  templates: TemplateSet;
  /**
   * "image": the step runs in provision.sh while a golden image is built, so it always
   * installs and configures, whatever packages.install and image.prebaked say.
   * Default "first-boot".
   */
  stage?: 'first-boot' | 'image';
}

/** What a step needs to know about the node it runs on. */
export interface StepContext extends ImageStepContext {
  node: ProfileNode;
  init: boolean;
  /** systemd units the node enables once it has initialised or joined the cluster. */
  unitsToEnable: string[];
}

/** Whether this step installs packages itself: provision.sh always; a node on Debian/Ubuntu unless prebaked or packages.install is false. */
function installsPackages(ctx: ImageStepContext): boolean {
  if (ctx.stage === 'image') return true;
  return ctx.target === 'cloud-init' && ctx.profile.packages.install && !ctx.profile.images.prebaked;
}

/** A first boot on a golden image: provision.sh already did the node-independent work. */
function prebakedFirstBoot(ctx: ImageStepContext): boolean {
  return ctx.stage !== 'image' && usesPrebakedImage(ctx.profile, ctx.target);
}

/** Renders steps/<template>.sh with `view` into a named step. Throws when the template is missing. */
export function step(ctx: ImageStepContext, name: string, template: string, view: object = {}): PlanStep {
  return { name, body: renderTemplate(ctx.templates, `steps/${template}.sh`, view).replace(/\n+$/, '') };
}

/**
 * Host preparation steps, the same on every role. On a golden image the kernel modules
 * and sysctls are baked (systemd loads and applies them at every boot); instead, the
 * node checks that the image was baked for this profile.
 */
export function hostSteps(ctx: StepContext): PlanStep[] {
  return [
    archStep(ctx),
    ...siteSteps(ctx),
    step(ctx, 'hostname', 'hostname', {
      hostname: shellQuote(ctx.node.name),
      hostsFile: hostsEntries(ctx.profile, ctx.node) === undefined ? '' : shellQuote(NODE_PATHS.hostsList),
    }),
    step(ctx, 'swap', 'swap'),
    ...(prebakedFirstBoot(ctx) ? [goldenImageStep(ctx)] : [kernelModulesStep(ctx), sysctlStep(ctx)]),
    firewallStep(ctx),
  ];
}

/**
 * Site integration, before anything downloads: the extra trusted CAs into the OS trust
 * store (profile trust), then the NTP servers (time.servers). Empty when neither is set.
 */
export function siteSteps(ctx: ImageStepContext): PlanStep[] {
  const steps: PlanStep[] = [];
  const certificates = trustCertificatePaths(ctx.profile, ctx.target);
  if (certificates.length > 0) steps.push(step(ctx, 'trust', 'trust', { files: shellWords(certificates) }));
  const servers = ctx.profile.time.servers;
  if (servers.length > 0) {
    steps.push(step(ctx, 'time-sync', 'time-sync', {
      servers: shellQuote(servers.join(' ')),
      chrony: ctx.target === 'cloud-init',
      install: installsPackages(ctx),
    }));
  }
  return steps;
}

/**
 * Checks the machine's architecture (detect_arch, from uname -m) against nodes[].arch;
 * with "auto" it only logs what it found. Fails early on a node booted on the wrong
 * hardware, before anything arch-specific is used.
 */
export function archStep(ctx: StepContext): PlanStep {
  const arch = ctx.node.arch;
  return step(ctx, 'arch', 'arch', { declared: arch, expected: arch === 'auto' ? '' : shellQuote(arch) });
}

/** Loads the kernel modules now (the modules-load drop-in loads them at every boot). */
export function kernelModulesStep(ctx: ImageStepContext): PlanStep {
  const modules = kernelModules(ctx.profile.cluster.kubeProxyMode);
  return step(ctx, 'kernel-modules', 'kernel-modules', {
    modules: shellWords(modules),
    modulesPlain: modules.join(' '),
    modulesFile: NODE_PATHS.modulesLoad,
  });
}

/** Applies the sysctl drop-in now and checks every value. */
export function sysctlStep(ctx: ImageStepContext): PlanStep {
  return step(ctx, 'sysctl', 'sysctl', { sysctlFile: shellQuote(NODE_PATHS.sysctl) });
}

function firewallStep(ctx: StepContext): PlanStep {
  const { profile, node } = ctx;
  if (profile.firewall.mode === 'disabled') return step(ctx, 'firewall', ctx.target === 'flatcar' ? 'firewall-none' : 'firewall-disabled');
  // Flatcar has no ufw: iptables-restore.service loads the plan's rules file at boot.
  if (ctx.target === 'flatcar') return step(ctx, 'firewall', 'firewall-iptables', { rulesFile: shellQuote(NODE_PATHS.iptablesRules) });
  return step(ctx, 'firewall', 'firewall-ports', {
    install: installsPackages(ctx),
    rules: ufwAllowRules(firewallPorts(profile, node), profile.network.cidr),
    podSubnet: shellQuote(profile.cluster.podSubnet),
    nodeCidr: shellQuote(profile.network.cidr),
    protocols: requiredIpProtocols(profile.cluster.cni).map((p) => ({ protocol: p.protocol, name: p.name, why: p.why })),
  });
}

/**
 * containerd and Kubernetes packages: installed and configured (provision.sh, or a node
 * that installs), or verified (packages.install false, Flatcar). A node on a golden image
 * only checks the versions: containerd's config and the enabled kubelet are baked.
 */
export function runtimeSteps(ctx: ImageStepContext): PlanStep[] {
  const { profile } = ctx;
  const version = profile.cluster.kubernetesVersion;
  const install = installsPackages(ctx);
  const repoUrl = `${profile.packages.aptRepository.url.replace(/\/+$/, '')}/${aptTrack(version)}/deb/`;
  const extras = profile.cluster.kubeProxyMode === 'ipvs' ? ['ipset', 'ipvsadm'] : [];
  // A prebaked node's firewall step cannot install ufw, so the image brings it.
  if (ctx.stage === 'image' && profile.firewall.mode === 'ports') extras.push('ufw');
  const extraPackages = extras.map((p) => ` ${p}`).join('');
  const baked = prebakedFirstBoot(ctx);
  const steps = [
    install ? step(ctx, 'containerd', 'containerd-install') : step(ctx, 'containerd', 'containerd-verify'),
    step(ctx, 'containerd-config', 'containerd-config', {
      configFile: NODE_PATHS.containerdConfig,
      sandboxImage: shellQuote(sandboxImage(profile)),
      daemonReload: profile.proxy !== undefined,
      // Flatcar: its own config (SELinux labels, OOM score, subreaper) plus our settings.
      flatcarBase: ctx.target === 'flatcar' ? shellQuote(NODE_PATHS.flatcarContainerdDefaults) : '',
      config: shellQuote(NODE_PATHS.containerdConfig),
      registryHosts: shellQuote(NODE_PATHS.registryHostsDir),
      // images.auth on Flatcar: control planes carry the credential tables (workers never do).
      registryAuth: ctx.target === 'flatcar' && profile.images.auth.length > 0 ? shellQuote(NODE_PATHS.containerdRegistryAuth) : '',
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
          source: ctx.target === 'flatcar' ? 'from the Kubernetes sysext' : baked ? 'from the golden image' : 'preinstalled',
        }),
    step(ctx, 'kubelet', 'kubelet'),
  ];
  // Registry credentials arrive at first boot (control planes' config.toml): containerd must re-read it.
  const keep = new Set(['containerd', 'kubernetes-packages', ...(profile.images.auth.length > 0 ? ['containerd-config'] : [])]);
  return baked ? steps.filter((s) => keep.has(s.name)) : steps;
}

/** kubeadm init plus everything the first control plane sets up afterwards. */
export function initSteps(ctx: StepContext): PlanStep[] {
  const { profile } = ctx;
  const users = profile.access.users.filter((u) => u.kubeconfig).map((u) => u.name);
  const steps = [
    step(ctx, 'kubeadm-init', 'kubeadm-init'),
    ...kubeVipSteps(ctx),
    step(ctx, 'kubeconfig', 'kubeconfig', { users: shellWords(users) }),
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
        nodeCidr: shellQuote(profile.network.cidr),
        iface: shellQuote(profile.network.interface),
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
  const hostPort = profile.addons.ingressNginx.enabled && profile.addons.ingressNginx.expose === 'hostPort';
  if (addons.length > 0) {
    steps.push(step(ctx, 'addons', 'addons', {
      addons,
      ingressHostPort: hostPort,
      ingressPatch: hostPort ? shellQuote(JSON.stringify(ingressHostPortPatch(profile))) : '',
    }));
  }
  if (profile.security.defaultDenyNamespaces.length > 0) {
    steps.push(step(ctx, 'network-policies', 'network-policies', {
      manifest: shellQuote(NODE_PATHS.defaultDenyManifest),
      namespaces: shellQuote(profile.security.defaultDenyNamespaces.join(', ')),
    }));
  }
  steps.push(...enableUnitsSteps(ctx));
  steps.push(step(ctx, 'verify', 'verify', {
    unit: shellQuote(VERIFY_SERVICE),
    verified: NODE_PATHS.clusterVerified,
    failed: NODE_PATHS.clusterVerifyFailed,
    configMap: STATUS_CONFIGMAP,
  }));
  return steps;
}

/** Enables the node's timers once it is part of the cluster; none when it has no units to enable. */
function enableUnitsSteps(ctx: StepContext): PlanStep[] {
  if (ctx.unitsToEnable.length === 0) return [];
  return [step(ctx, 'enable-units', 'enable-units', { units: ctx.unitsToEnable.map((name) => ({ name: shellQuote(name) })) })];
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
    ...kubeVipSteps(ctx),
    ...enableUnitsSteps(ctx),
  ];
}

/**
 * The step that puts the staged kube-vip manifest (admin.conf flavour) into
 * /etc/kubernetes/manifests: on the init node right after kubeadm init (it started
 * on super-admin.conf), on joining control planes right after the join. Empty
 * when the node needs neither.
 */
export function kubeVipSteps(ctx: StepContext): PlanStep[] {
  const install = kubeVipPlan(ctx.profile, ctx.node, ctx.init).install;
  if (install === undefined) return [];
  const view = {
    staged: shellQuote(NODE_PATHS.kubeVipStaged),
    manifest: shellQuote(KUBE_VIP_MANIFEST_PATH),
    tmp: shellQuote('/etc/kubernetes/.kube-vip.yaml.tmp'),
  };
  return install === 'after-init'
    ? [step(ctx, 'kube-vip-admin-conf', 'kube-vip-install', {
        ...view,
        why: 'kubeadm init has bound admin.conf to cluster-admin: kube-vip leaves super-admin.conf for it.',
        done: 'kube-vip now uses admin.conf; kubelet restarts its static pod',
      })]
    : [step(ctx, 'kube-vip', 'kube-vip-install', {
        ...view,
        why: 'kube-vip joins the VIP election now: kubeadm join requires an empty manifests directory.',
        done: 'kube-vip static pod installed',
      })];
}

/** Every step of one node's first boot, in order. */
export function bootstrapSteps(ctx: StepContext): PlanStep[] {
  return [...hostSteps(ctx), ...runtimeSteps(ctx), ...(ctx.init ? initSteps(ctx) : joinSteps(ctx))];
}

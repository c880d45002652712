/**
 * The init node's cluster verifier: a script (templates/verify/cluster-verify.sh), a
 * oneshot unit that the bootstrap starts after the add-ons, and the smoke workloads
 * it applies. Its verdict is separate from bootstrap.done, which keeps meaning "this
 * node's bootstrap finished".
 */
import type { Profile } from '../profile/types.js';
import type { PlanFile, PlanUnit } from './types.js';
import type { TemplateSet } from '../template/render-template.js';
import { renderNodeFile, renderTemplate } from '../template/render-template.js';
import { shellQuote } from '../util/shell-quote.js';
import { NODE_PATHS, binDir, shellLibraryPath, type PlanTarget } from './paths.js';
import {
  SMOKE_INGRESS_HOST,
  SMOKE_NAMESPACE,
  SMOKE_NODE_PORT,
  smokeEchoText,
  smokeManifest,
  smokeParts,
} from '../kube/smoke-manifests.js';

/** systemd unit of the verifier. */
export const VERIFY_SERVICE = 'gen-userdata-verify.service';
/** ConfigMap in kube-system that holds the verifier's report (key report.json). */
export const STATUS_CONFIGMAP = 'gen-userdata-status';
/** Key of the report in the ConfigMap. */
export const STATUS_CONFIGMAP_KEY = 'report.json';

/** Where the verifier reads and writes on the node (tests point them into a temp dir). */
export interface VerifyPaths {
  library: string;
  expectedNodes: string;
  smokeManifest: string;
  report: string;
  verified: string;
  failed: string;
  log: string;
}

/** The paths on a real node of `target`. */
export function nodeVerifyPaths(target: PlanTarget): VerifyPaths {
  return {
    library: shellLibraryPath(target),
    expectedNodes: NODE_PATHS.expectedNodes,
    smokeManifest: NODE_PATHS.smokeManifest,
    report: NODE_PATHS.clusterStatus,
    verified: NODE_PATHS.clusterVerified,
    failed: NODE_PATHS.clusterVerifyFailed,
    log: NODE_PATHS.verifyLog,
  };
}

/** The DaemonSet that carries the CNI ("namespace", "daemonset/name"), or undefined for cni none. */
export function cniDaemonSet(profile: Profile): { namespace: string; object: string } | undefined {
  switch (profile.cluster.cni.plugin) {
    case 'calico':
      return { namespace: 'kube-system', object: 'daemonset/calico-node' };
    case 'flannel':
      return { namespace: 'kube-flannel', object: 'daemonset/kube-flannel-ds' };
    case 'none':
      return undefined;
  }
}

/**
 * Upper bound of one verifier run in seconds: the node wait, ten rollout-sized waits
 * (CNI, CoreDNS, metrics-server and its metrics, ingress-nginx, two smoke rollouts,
 * NodePorts, Ingress, HPA) and ten minutes for kubectl calls. The unit's
 * TimeoutStartSec, a backstop only: the script bounds each wait itself.
 */
export function verifyTimeoutSeconds(profile: Profile): number {
  return profile.cluster.joinTimeoutSeconds + 10 * profile.verify.rolloutTimeoutSeconds + 600;
}

/** The verifier script for `profile`. Throws when a template is missing. */
export function clusterVerifyScript(templates: TemplateSet, profile: Profile, paths: VerifyPaths): string {
  const cni = cniDaemonSet(profile);
  const smoke = smokeParts(profile);
  return renderNodeFile(templates, 'verify/cluster-verify.sh', {
    library: shellQuote(paths.library),
    cluster: profile.cluster.name,
    clusterQuoted: shellQuote(profile.cluster.name),
    kubeletVersion: shellQuote(`v${profile.cluster.kubernetesVersion}`),
    reportPath: shellQuote(paths.report),
    verifiedMarker: shellQuote(paths.verified),
    failedMarker: shellQuote(paths.failed),
    expectedNodes: shellQuote(paths.expectedNodes),
    smokeManifest: shellQuote(paths.smokeManifest),
    logPath: shellQuote(paths.log),
    configMap: shellQuote(STATUS_CONFIGMAP),
    joinTimeoutSeconds: profile.cluster.joinTimeoutSeconds,
    rolloutTimeoutSeconds: profile.verify.rolloutTimeoutSeconds,
    smokeNamespace: shellQuote(SMOKE_NAMESPACE),
    smokeNodePort: SMOKE_NODE_PORT,
    ingressHost: shellQuote(SMOKE_INGRESS_HOST),
    echoText: shellQuote(smokeEchoText(profile)),
    cniRollout: cni === undefined ? '' : shellQuote(cni.object),
    cniNamespace: cni === undefined ? '' : shellQuote(cni.namespace),
    metricsServer: profile.addons.metricsServer.enabled,
    ingressNginx: profile.addons.ingressNginx.enabled,
    ingressHostPort: profile.addons.ingressNginx.expose === 'hostPort',
    smokeTest: profile.verify.smokeTest,
    smokeIngress: smoke.ingress,
    smokeHpa: smoke.hpa,
    keepSmokeWorkloads: profile.verify.keepSmokeWorkloads,
  });
}

/**
 * What the init node needs to verify the cluster: the script, the smoke manifest
 * (verify.smokeTest) and the oneshot unit (not enabled: the bootstrap starts it).
 */
export function clusterVerifyExtras(profile: Profile, templates: TemplateSet, target: PlanTarget): { files: PlanFile[]; units: PlanUnit[] } {
  const script = `${binDir(target)}/gen-userdata-verify`;
  const file = (path: string, mode: number, content: string): PlanFile => ({ path, mode, owner: 'root:root', content, secret: false });
  return {
    files: [
      // Read on the node only: gzip + base64 when that is what makes the user-data fit
      // (emitUserData). The init node's never fits EC2 raw, so it stays plain and is
      // delivered gzip'd whole (over OpenStack's 65,535 base64 characters otherwise).
      { ...file(script, 0o755, clusterVerifyScript(templates, profile, nodeVerifyPaths(target))), compress: 'to-fit' as const },
      ...(profile.verify.smokeTest ? [{ ...file(NODE_PATHS.smokeManifest, 0o644, smokeManifest(profile)), compress: 'to-fit' as const }] : []),
    ],
    units: [{
      name: VERIFY_SERVICE,
      content: renderTemplate(templates, `units/${VERIFY_SERVICE}`, { script, timeoutSeconds: verifyTimeoutSeconds(profile) }),
      enabled: false,
    }],
  };
}

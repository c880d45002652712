/**
 * The node tools an operator runs on a machine after first boot, and the timers of
 * a control plane: k8s-diag and k8s-reset on every node; k8s-join-command, the etcd
 * snapshot job and the certificate-renewal job on control planes. Templates live in
 * templates/tools/ and all source the shared shell library. Read on the node, not
 * in the user-data: cloud-init gets them gz+b64 first when the user-data must shrink.
 */
import type { Profile, ProfileNode } from '../profile/types.js';
import type { PlanFile, PlanUnit } from './types.js';
import type { TemplateSet } from '../template/render-template.js';
import { renderNodeFile, renderTemplate } from '../template/render-template.js';
import { shellQuote } from '../util/shell-quote.js';
import { NODE_PATHS, binDir, type PlanTarget } from './paths.js';
import { shellLibraryView } from './shell-library.js';

/** The cluster report of the verification step, collected by k8s-diag when present. */
export const CLUSTER_STATUS_PATH = '/var/lib/gen-userdata/cluster-status.json';

/**
 * ConfigMap in kube-system where each control plane's certificate job records its
 * earliest kubeadm certificate expiry (key: node name; value "<RFC 3339> <cert>").
 */
export const CERTS_CONFIGMAP = 'gen-userdata-certs';

/** systemd units of the control-plane jobs. */
export const ETCD_BACKUP_SERVICE = 'gen-userdata-etcd-backup.service';
export const ETCD_BACKUP_TIMER = 'gen-userdata-etcd-backup.timer';
export const CERT_RENEW_SERVICE = 'gen-userdata-cert-renew.service';
export const CERT_RENEW_TIMER = 'gen-userdata-cert-renew.timer';

/** What a node's tools need to know about it. */
export interface NodeToolsInput {
  profile: Profile;
  node: ProfileNode;
  /** The first control plane (its reset means a new cluster on the next bootstrap). */
  init: boolean;
  templates: TemplateSet;
  target: PlanTarget;
}

function tool(path: string, content: string): PlanFile {
  return { path, mode: 0o755, owner: 'root:root', content, secret: false, compress: 'to-fit' };
}

/**
 * The node's tools and timers. Throws only when a template is missing (a bug).
 * Timers are enabled; their jobs do nothing until the bootstrap has finished.
 */
export function nodeTools(input: NodeToolsInput): { files: PlanFile[]; units: PlanUnit[] } {
  const { profile, node, init, templates, target } = input;
  const bin = binDir(target);
  const controlPlane = node.role === 'control-plane';
  const base = {
    ...shellLibraryView(target),
    controlPlane,
    init,
    successMarker: shellQuote(NODE_PATHS.successMarker),
    failureMarker: shellQuote(NODE_PATHS.failureMarker),
  };
  const files: PlanFile[] = [
    tool(`${bin}/k8s-diag`, renderNodeFile(templates, 'tools/k8s-diag.sh', {
      ...base,
      bootstrapLog: shellQuote(NODE_PATHS.log),
      clusterStatus: shellQuote(CLUSTER_STATUS_PATH),
      sysctlFile: shellQuote(NODE_PATHS.sysctl),
      modulesFile: shellQuote(NODE_PATHS.modulesLoad),
    })),
    tool(`${bin}/k8s-reset`, renderNodeFile(templates, 'tools/k8s-reset.sh', { ...base, bootstrap: `${bin}/gen-userdata-bootstrap` })),
  ];
  const units: PlanUnit[] = [];
  if (controlPlane) {
    files.push(tool(`${bin}/k8s-join-command`, renderNodeFile(templates, 'tools/k8s-join-command.sh', base)));
    const backup = profile.backup.etcd;
    if (backup.enabled) {
      const script = `${bin}/gen-userdata-etcd-backup`;
      const view = { ...base, script, schedule: backup.schedule, keep: backup.keep, dir: shellQuote(backup.dir) };
      files.push(tool(script, renderNodeFile(templates, 'tools/etcd-backup.sh', view)));
      units.push(
        { name: ETCD_BACKUP_SERVICE, content: renderTemplate(templates, `units/${ETCD_BACKUP_SERVICE}`, view), enabled: false },
        { name: ETCD_BACKUP_TIMER, content: renderTemplate(templates, `units/${ETCD_BACKUP_TIMER}`, view), enabled: true },
      );
    }
    const certs = profile.certificates;
    if (certs.autoRenew) {
      const script = `${bin}/gen-userdata-cert-renew`;
      const view = { ...base, script, renewBefore: certs.renewBefore, renewBeforeSeconds: certs.renewBeforeSeconds, certsConfigMap: shellQuote(CERTS_CONFIGMAP) };
      files.push(tool(script, renderNodeFile(templates, 'tools/cert-renew.sh', view)));
      units.push(
        { name: CERT_RENEW_SERVICE, content: renderTemplate(templates, `units/${CERT_RENEW_SERVICE}`, view), enabled: false },
        { name: CERT_RENEW_TIMER, content: renderTemplate(templates, `units/${CERT_RENEW_TIMER}`, view), enabled: true },
      );
    }
  }
  return { files, units };
}

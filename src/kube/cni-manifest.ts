/**
 * What the init node's cni step (templates/steps/cni.sh) needs to find in a CNI
 * manifest, checked at generation time for an embedded manifest (cluster.cni.manifestFile)
 * so a manifest the step cannot edit is a diagnostic on the workstation, not a failed
 * first boot after kubeadm init. The step accepts a manifest when, after its edits, the
 * lines below are in place; these are the same conditions, stated on the unedited text:
 * a line the step rewrites, or the line it would produce. test/plan/cni-manifest-edit.test.ts
 * runs the step in bash and checks that it succeeds exactly when this finds nothing.
 */
import type { CniSettings } from '../profile/types.js';

/** One thing the step would not find; `need` says what the manifest must hold. */
export interface CniManifestProblem {
  need: string;
}

/** The values the step writes into the manifest. */
export interface CniManifestValues {
  podSubnet: string;
  nodeCidr: string;
  iface: string;
}

/** Lines of the manifest without trailing carriage returns. */
function linesOf(text: string): string[] {
  return text.split('\n').map((l) => l.replace(/\r$/, ''));
}

/** Whether a line matching `name` is directly followed by one that contains (or matches) `value`. */
function pairPresent(lines: readonly string[], name: RegExp, value: string | RegExp): boolean {
  const matches = (l: string): boolean => (typeof value === 'string' ? l.includes(value) : value.test(l));
  return lines.some((l, i) => name.test(l) && matches(lines[i + 1] ?? ''));
}

function calicoProblems(lines: readonly string[], v: CniManifestValues): CniManifestProblem[] {
  const problems: CniManifestProblem[] = [];
  // The step uncomments "# - name: CALICO_IPV4POOL_CIDR" and its "#   value: "192.168.0.0/16"".
  const poolSet = pairPresent(lines, /^\s*- name: CALICO_IPV4POOL_CIDR$/, `value: "${v.podSubnet}"`);
  const poolCommented = pairPresent(lines, /^\s*# - name: CALICO_IPV4POOL_CIDR$/, '#   value: "192.168.0.0/16"');
  if (!poolSet && !poolCommented) {
    problems.push({ need: 'the commented CALICO_IPV4POOL_CIDR entry of upstream calico.yaml ("# - name: CALICO_IPV4POOL_CIDR" followed by "#   value: \\"192.168.0.0/16\\"") or that entry already set to the podSubnet' });
  }
  // After "- name: IP" / "value: "autodetect"" the step adds IP_AUTODETECTION_METHOD, unless one exists.
  const detect = `value: "cidr=${v.nodeCidr}"`;
  const hasDetect = lines.some((l) => l.includes('name: IP_AUTODETECTION_METHOD'));
  const detectOk = hasDetect ? pairPresent(lines, /^\s*- name: IP_AUTODETECTION_METHOD$/, detect) : pairPresent(lines, /^\s*- name: IP$/, /^\s*value: "autodetect"$/);
  if (!detectOk) {
    problems.push({
      need: hasDetect
        ? `IP_AUTODETECTION_METHOD set to "cidr=${v.nodeCidr}" (the manifest sets it to something else)`
        : 'the calico-node entry "- name: IP" followed by "value: \\"autodetect\\"", after which IP_AUTODETECTION_METHOD is added',
    });
  }
  return problems;
}

function flannelProblems(lines: readonly string[], v: CniManifestValues): CniManifestProblem[] {
  const problems: CniManifestProblem[] = [];
  if (!lines.some((l) => l.includes('"Network": "10.244.0.0/16"') || l.includes(`"Network": "${v.podSubnet}"`))) {
    problems.push({ need: 'net-conf.json\'s "Network": "10.244.0.0/16" (or the podSubnet)' });
  }
  if (!lines.some((l) => /^\s*- --kube-subnet-mgr$/.test(l) || l.includes(`- --iface=${v.iface}`))) {
    problems.push({ need: 'the flanneld argument "- --kube-subnet-mgr" (--iface is added after it)' });
  }
  return problems;
}

/** What the cni step would miss in `manifest`; [] when it can make its edits. */
export function cniManifestProblems(plugin: CniSettings['plugin'], manifest: string, values: CniManifestValues): CniManifestProblem[] {
  const lines = linesOf(manifest);
  if (plugin === 'calico') return calicoProblems(lines, values);
  if (plugin === 'flannel') return flannelProblems(lines, values);
  return [];
}

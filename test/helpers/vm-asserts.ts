/**
 * Asserts shared by the e2e tests: what every node must look like after its
 * first boot (host preparation, runtime, tools), and the bootstrap's steps.
 */
import type { Test } from 'tap';
import { parseAllDocuments } from 'yaml';
import { consoleTail } from './vm-boot.js';
import type { NodeRun, RawProfile } from './vm-node.js';

/** Steps every node runs, in order. */
export const COMMON_STEPS = [
  'hostname',
  'swap',
  'kernel-modules',
  'sysctl',
  'firewall',
  'containerd',
  'containerd-config',
  'kubernetes-packages',
  'kubelet',
] as const;

/**
 * Fails (with the console's tail) when the guest did not get as far as the
 * probe's complete dump; returns whether the rest of the asserts make sense.
 */
export function assertProbed(t: Test, run: NodeRun): boolean {
  const ok = !run.boot.timedOut && run.probe.complete && run.probe.sections.has('files');
  t.ok(ok, `${run.node}: the guest booted, ran the probe and powered off`, {
    timedOut: run.boot.timedOut,
    exitCode: run.boot.exitCode,
    probeComplete: run.probe.complete,
    workDir: run.workDir,
    console: ok ? undefined : consoleTail(run.boot),
  });
  return ok;
}

/** Returns the bootstrap log's tail for diagnostics. */
export function logTail(run: NodeRun, lines = 40): string {
  return run.bootstrapLog.split('\n').slice(-lines).join('\n');
}

/**
 * Asserts that the expected steps appear in this order (other steps may sit
 * between them), each started; all of them ok except `failedStep`, which must
 * be the last step and marked failed.
 */
export function assertSteps(t: Test, run: NodeRun, expected: readonly string[], failedStep?: string): void {
  const names = run.steps.map((s) => s.name);
  let pos = -1;
  for (const name of expected) {
    const i = names.indexOf(name);
    t.ok(i > pos, `step ${name} ran, after the previous expected step`, { steps: names });
    if (i > pos) pos = i;
  }
  for (const s of run.steps) {
    if (s.name === failedStep) {
      t.ok(s.failed && !s.ok, `step ${s.name} is logged as failed`, { log: logTail(run) });
    } else {
      t.ok(s.ok && !s.failed, `step ${s.name} logged ok`, { log: logTail(run) });
    }
  }
  if (failedStep) t.equal(names[names.length - 1], failedStep, `${failedStep} is the last step run`);
}

/** Asserts the success marker and no failure marker (or the reverse, naming `failedStep`). */
export function assertMarkers(t: Test, run: NodeRun, failedStep?: string): void {
  const done = run.file('/var/lib/gen-userdata/bootstrap.done');
  const failed = run.file('/var/lib/gen-userdata/bootstrap.failed');
  if (failedStep) {
    t.equal(done, undefined, 'no success marker');
    t.ok(failed !== undefined && failed.includes(failedStep), `failure marker names ${failedStep}`, { marker: failed });
  } else {
    t.ok(done !== undefined, 'success marker /var/lib/gen-userdata/bootstrap.done exists', { log: logTail(run) });
    t.equal(failed, undefined, 'no failure marker', { marker: failed });
  }
}

const SYSCTLS = ['net.bridge.bridge-nf-call-iptables', 'net.bridge.bridge-nf-call-ip6tables', 'net.ipv4.ip_forward'];

/** Options of assertHostPrepared for nodes that differ from the default (packages.install: false, stand-ins in the image). */
export interface HostPreparedOptions {
  /** The profile installs the packages (packages.install: true): skip the "nothing was apt-get installed" check. */
  installsPackages?: boolean;
  /** Count only stand-in calls that started at or after this epoch (a golden image carries its build boot's calls). */
  callsSince?: number;
}

/**
 * Asserts host preparation on any node: hostname, /etc/hosts with every
 * profile node, swap off, kernel modules, sysctls, containerd config and
 * state, crictl.yaml, kubelet enabled, version checks ran.
 */
export function assertHostPrepared(t: Test, run: NodeRun, profile: RawProfile, opts: HostPreparedOptions = {}): void {
  t.match(run.bootstrapLog, /detected OS: debian 1[23] \(family debian\)/, 'the bootstrap read /etc/os-release: Debian 12 or 13');
  t.equal(run.section('hostname')?.trim(), run.node, 'hostname is the node name');
  t.equal(run.section('hostname-file')?.trim(), run.node, '/etc/hostname is the node name');
  const hosts = run.section('hosts') ?? '';
  for (const n of profile.nodes) {
    const re = new RegExp(`^${n.ip.replace(/\./g, '\\.')}\\s+(.*\\s)?${n.name}(\\s|$)`, 'm');
    t.match(hosts, re, `/etc/hosts maps ${n.name} to ${n.ip}`);
  }

  const swaps = (run.section('swaps') ?? '').trim().split('\n');
  t.equal(swaps.length, 1, 'no active swap (only the /proc/swaps header)', { swaps });

  const modules = new Set((run.section('sys-module') ?? '').split(/\s+/));
  for (const m of ['overlay', 'br_netfilter', 'ip_vs', 'ip_vs_rr', 'ip_vs_wrr', 'ip_vs_sh', 'nf_conntrack']) {
    t.ok(modules.has(m), `kernel module ${m} is loaded`);
  }
  const sysctl = run.section('sysctl') ?? '';
  for (const k of SYSCTLS) t.match(sysctl, new RegExp(`^${k.replace(/\./g, '\\.')} = 1$`, 'm'), `${k} = 1`);

  const dump = run.section('containerd-dump') ?? '';
  t.equal(run.probe.sections.get('containerd-dump')?.rc, 0, 'containerd config dump works');
  t.match(dump, /^\s*SystemdCgroup = true$/m, 'containerd (effective config): SystemdCgroup = true');
  t.match(dump, /^\s*sandbox_image = "registry\.k8s\.io\/pause:3\.9"$/m, 'containerd (effective config): sandbox image pause:3.9');
  t.equal(run.section('containerd-active')?.trim(), 'active', 'containerd is running');
  t.match(run.file('/etc/containerd/config.toml') ?? '', /SystemdCgroup = true/, '/etc/containerd/config.toml sets SystemdCgroup');
  t.match(
    run.file('/etc/crictl.yaml') ?? '',
    /^runtime-endpoint: unix:\/\/(\/var)?\/run\/containerd\/containerd\.sock$/m,
    '/etc/crictl.yaml points at containerd',
  );
  t.equal(run.section('kubelet-enabled')?.trim(), 'enabled', 'kubelet.service is enabled');

  // packages.install: false → the tools were only version-checked, never installed.
  const versionCalls = run.calls.filter(
    (c) =>
      c.start >= (opts.callsSince ?? 0) &&
      ((c.tool === 'kubeadm' && c.argv[0] === 'version') ||
      (c.tool === 'kubelet' && c.argv.includes('--version')) ||
      (c.tool === 'kubectl' && c.argv[0] === 'version')),
  );
  t.same(
    [...new Set(versionCalls.map((c) => c.tool))].sort(),
    ['kubeadm', 'kubectl', 'kubelet'],
    'kubeadm, kubelet and kubectl versions were checked',
  );
  if (!opts.installsPackages) {
    const apt = run.bootstrapLog.match(/^.*apt-get install.*$/m);
    t.notOk(apt, 'nothing was apt-get installed (packages.install: false)', { line: apt?.[0] });
  }

}

/**
 * Asserts cloud-init's verdict: `status: done` when the bootstrap succeeded,
 * `status: error` when it failed (runcmd exits non-zero), and in both cases
 * that cloud-init's own schema check accepts the user-data it was given.
 */
export function assertCloudInit(t: Test, run: NodeRun, bootstrapSucceeded: boolean): void {
  const status = run.section('cloud-init-status') ?? '';
  const want = bootstrapSucceeded ? 'done' : 'error';
  t.match(status, new RegExp(`^status: ${want}$`, 'm'), `cloud-init status: ${want}`, { status });
  t.equal(run.probe.sections.get('cloud-init-schema')?.rc, 0, 'cloud-init schema --system accepts the user-data', {
    out: run.section('cloud-init-schema'),
  });
  t.notMatch(run.section('cloud-init-schema') ?? '', /deprecat/i, 'and reports no deprecation');
}

/**
 * Asserts the bootstrap's per-node kubelet patch: written into kubeadm's patches
 * directory before init/join, and in the kubelet config kubeadm (stand-in) wrote.
 * The e2e images run no systemd-resolved, so resolvConf is /etc/resolv.conf.
 */
export function assertKubeletResolvConf(t: Test, run: NodeRun, expected = '/etc/resolv.conf'): void {
  const patch = run.file('/etc/kubernetes/gen-userdata/patches/kubeletconfiguration+merge.yaml');
  t.equal(patch, `resolvConf: ${expected}\n`, `the kubelet patch sets resolvConf: ${expected}`);
  t.match(run.bootstrapLog, `kubelet resolvConf: ${expected}`, 'the bootstrap logged its choice');
  const config = yamlDocs(run.file('/var/lib/kubelet/config.yaml') ?? '')[0];
  t.equal(config?.['resolvConf'], expected, 'kubeadm applied the patch to /var/lib/kubelet/config.yaml');
}

/** Parses a multi-document YAML text into plain objects (empty documents dropped). */
export function yamlDocs(text: string): Record<string, unknown>[] {
  return parseAllDocuments(text)
    .map((d) => d.toJS() as unknown)
    .filter((d): d is Record<string, unknown> => d !== null && typeof d === 'object');
}

/** Returns the document of the given kind, or undefined. */
export function docOfKind(docs: Record<string, unknown>[], kind: string): Record<string, any> | undefined {
  return docs.find((d) => d.kind === kind) as Record<string, any> | undefined;
}

/** Asserts that a file is absent from the guest's stat listing. */
export function assertAbsent(t: Test, run: NodeRun, path: string, why: string): void {
  t.notOk(run.stat.has(path), `${path} is absent (${why})`);
}

/**
 * Asserts ufw is active and returns its IPv4 ALLOW IN rules as "port/proto" →
 * source ("Anywhere" or a CIDR); multiport rules ("22,179,6443/tcp") give one
 * entry per port or range.
 */
export function assertUfwActive(t: Test, run: NodeRun): Map<string, string> {
  const status = run.section('ufw') ?? '';
  t.match(status, /^Status: active$/m, 'ufw is active');
  const allowed = new Map<string, string>();
  for (const m of status.matchAll(/^([0-9,:]+)\/(tcp|udp)\s+ALLOW IN\s+(\S+)/gm)) {
    for (const port of m[1]!.split(',')) allowed.set(`${port}/${m[2]}`, m[3]!);
  }
  return allowed;
}

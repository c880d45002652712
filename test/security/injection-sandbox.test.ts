// Closing the class of shell injection: every string field of the profile, enumerated
// from the schema (a new field is covered without touching this test), is given shell
// and template payloads, as a whole value and around a valid one. Every variant the
// schema accepts is generated (cloud-init, Ignition, golden image), and every script
// in the output is run as root in a sandbox: a private mount namespace whose root is
// an overlay of / on a tmpfs (nothing reaches the real system), with stand-ins for
// every command that would touch the machine or the network, and a `touch` that
// records its arguments. A payload that runs leaves "pwned" in that record, or the
// file /tmp/pwned in the sandbox root, and the test fails.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse, stringify } from 'yaml';
import { profileSchema } from '../../src/profile/schema.js';
import { loadProfile } from '../../src/profile/load-profile.js';
import type { Profile } from '../../src/profile/types.js';
import { generateClusterFiles } from '../../src/output/generate-cluster.js';
import { generateImage } from '../../src/output/generate-image.js';
import { ROOT, bundledTemplates, fixtureSecrets } from '../helpers/fixtures.js';

type Segment = string | '*';

/** Every path (object keys, "*" for list items) whose subschema admits a string. */
function stringFields(schema: unknown, at: Segment[] = []): Segment[][] {
  const s = schema as { type?: unknown; properties?: Record<string, unknown>; items?: unknown };
  const out: Segment[][] = [];
  const types = Array.isArray(s.type) ? s.type : [s.type];
  if (types.includes('string')) out.push(at);
  for (const [k, v] of Object.entries(s.properties ?? {})) out.push(...stringFields(v, [...at, k]));
  if (s.items !== undefined) out.push(...stringFields(s.items, [...at, '*']));
  return out;
}

// Read by the generator on the machine that runs it, never written to a node.
const LOCAL_PATH_FIELDS = new Set(['/cluster/cni/manifestFile', '/addons/metricsServer/manifestFile', '/addons/ingressNginx/manifestFile', '/packages/aptRepository/keyFile']);

const PAYLOADS = [
  '$(touch /tmp/pwned)',
  '$(touch$IFS/tmp/pwned)',
  '`touch /tmp/pwned`',
  '";touch /tmp/pwned;"',
  "';touch /tmp/pwned;'",
  "'$(touch$IFS/tmp/pwned)'",
  '\nruncmd:\n  - touch /tmp/pwned',
  '{{ touch }}{{{pwned}}}{{#x}}',
];

/** The base: lab plus a value in every optional string field a node sees (URLs, VIP, mirror, sysext, a user). */
function baseData(): Record<string, unknown> {
  const data = parse(readFileSync(join(ROOT, 'profiles/lab.yaml'), 'utf8')) as Record<string, any>;
  data['cluster'].cni = { plugin: 'calico', version: 'v3.27.0', manifestUrl: 'https://mirror.example/calico.yaml' };
  data['cluster'].vip = { address: '192.168.56.100', interface: 'enp0s8', kubeVipVersion: 'v0.8.2' };
  data['cluster'].controlPlaneEndpoint = '192.168.56.100:6443';
  data['runtime'] = { containerd: { sandboxImage: 'registry.k8s.io/pause:3.9' } };
  data['packages'] = { install: true, aptRepository: { url: 'https://pkgs.k8s.io/core:/stable:' } };
  data['addons'] = { metricsServer: { enabled: true, version: 'v0.7.2', manifestUrl: 'https://mirror.example/metrics.yaml' }, ingressNginx: { enabled: true, version: 'controller-v1.11.0' } };
  data['images'] = { repository: 'registry.example:5000/mirror' };
  data['flatcar'] = { sysextUrl: 'https://mirror.example/kubernetes.raw' };
  data['access'].users[0].shell = '/bin/bash';
  return data;
}

function getAt(data: unknown, path: Segment[]): unknown {
  return path.reduce<unknown>((node, seg) => (node as Record<string, unknown> | undefined)?.[seg === '*' ? 0 : seg], data);
}
function setAt(data: Record<string, unknown>, path: Segment[], value: unknown): void {
  let node: Record<string | number, unknown> = data;
  path.slice(0, -1).forEach((seg, i) => {
    const key = seg === '*' ? 0 : seg;
    if (node[key] === undefined || node[key] === null) node[key] = path[i + 1] === '*' ? [] : {};
    node = node[key] as Record<string | number, unknown>;
  });
  const last = path[path.length - 1] as Segment;
  node[last === '*' ? 0 : last] = value;
}

function load(data: unknown): Profile | undefined {
  const r = loadProfile(stringify(data, { lineWidth: 0 }), 'injection.yaml');
  return r.ok ? r.value : undefined;
}

/**
 * For one payload, the base profile with the payload in every field that accepts one of
 * its variants (alone, after the field's valid value, before it, inside it).
 */
function poisoned(payload: string, fields: Segment[][]): { profile: Profile; accepted: string[]; refused: number } {
  const data = baseData();
  const accepted: string[] = [];
  let refused = 0;
  for (const path of fields) {
    const pointer = `/${path.join('/')}`.replace(/\*/g, '0');
    if (LOCAL_PATH_FIELDS.has(pointer)) continue;
    const valid = getAt(data, path);
    const sample = typeof valid === 'string' ? valid : 'x';
    const cut = Math.floor(sample.length / 2);
    const variants = [payload, sample + payload, payload + sample, sample.slice(0, cut) + payload + sample.slice(cut)];
    const keep = structuredClone(data);
    const ok = variants.find((v) => {
      setAt(data, path, v);
      return load(data) !== undefined;
    });
    if (ok === undefined) {
      Object.keys(data).forEach((k) => delete data[k]);
      Object.assign(data, keep);
      refused++;
    } else {
      accepted.push(`${pointer}=${JSON.stringify(ok)}`);
    }
  }
  const profile = load(data);
  if (profile === undefined) throw new Error('bug in the test: the poisoned profile no longer loads');
  return { profile, accepted, refused };
}

/** A script to run, with the files its node gets next to it (the shared library, configs). */
interface Script {
  origin: string;
  text: string;
  files: Map<string, string>;
}

/** Every shell script in the generated output: write_files of user-data, Ignition files, the image's scripts. */
function scripts(profile: Profile): Map<string, Script> {
  const templates = bundledTemplates();
  const secrets = fixtureSecrets('lab');
  const found = new Map<string, Script>();
  const addAll = (where: string, files: Map<string, string>): void => {
    for (const [path, text] of files) {
      if (text.startsWith('#!')) found.set(createHash('sha256').update(text).digest('hex').slice(0, 12), { origin: `${where} ${path}`, text, files });
    }
  };
  const text = (c: Uint8Array): string => Buffer.from(c).toString('utf8');
  for (const f of generateClusterFiles({ profile, secrets, templates, formats: ['cloud-init', 'ignition'] })) {
    const files = new Map<string, string>();
    if (f.path.endsWith('/user-data')) {
      const ud = parse(text(f.content)) as { write_files?: { path: string; content: string; encoding?: string }[] };
      for (const w of ud.write_files ?? []) files.set(w.path, w.encoding === 'b64' ? Buffer.from(w.content, 'base64').toString('utf8') : w.content);
    } else if (f.path.endsWith('.ign')) {
      const ign = JSON.parse(text(f.content)) as { storage?: { files?: { path: string; contents?: { source?: string } }[] } };
      for (const file of ign.storage?.files ?? []) {
        const m = /^data:([^,]*),(.*)$/s.exec(file.contents?.source ?? '');
        if (m) files.set(file.path, (m[1] as string).endsWith(';base64') ? Buffer.from(m[2] as string, 'base64').toString('utf8') : decodeURIComponent(m[2] as string));
      }
    }
    addAll(f.path, files);
  }
  const image = new Map(generateImage(profile, templates).map((f) => [`/image/${f.path}`, text(f.content)]));
  addAll('image', image);
  return found;
}

// Commands that would change the machine or reach the network, or wait: stand-ins that
// log and succeed (or fail, on the second pass, to reach the error branches).
const STAND_INS = [
  'systemctl', 'reboot', 'shutdown', 'poweroff', 'halt', 'apt-get', 'apt-mark', 'apt', 'dpkg', 'curl', 'wget', 'kubeadm', 'kubectl', 'kubelet',
  'containerd', 'crictl', 'ctr', 'ufw', 'iptables', 'ip6tables', 'modprobe', 'sysctl', 'swapoff', 'hostnamectl', 'hostname', 'mount', 'umount',
  'timeout', 'sleep', 'gpg', 'cloud-init', 'useradd', 'usermod', 'ssh-keygen', 'systemd-sysext', 'update-ca-certificates', 'systemd-run', 'nsenter', 'ip',
];

const RUNNER = String.raw`
set -u
root=$1 report=$2
mount -t tmpfs tmpfs "$root"
for script in "$root.scripts"/*; do
  [ -f "$script" ] || continue
  for mode in whole steps-ok steps-fail; do
    mkdir -p "$root/u" "$root/w" "$root/m"
    mount -t overlay overlay -o "lowerdir=/,upperdir=$root/u,workdir=$root/w" "$root/m"
    mount --rbind /dev "$root/m/dev"; mount -t proc proc "$root/m/proc"
    mkdir -p "$root/m/gen-userdata-report" "$root/m/opt/bin"
    mount --bind "$report" "$root/m/gen-userdata-report"
    cp -a "$script.files/." "$root/m/"
    cp "$root.stubs"/* "$root/m/opt/bin/"
    if [ "$mode" = whole ]; then
      cp "$script" "$root/m/script"
    else
      # Every step runs, each with errexit off, so a failing stand-in does not hide later lines.
      sed -E 's/^run_step [^ ]+ (step_[a-z0-9_]+)$/( set +eu; \1 ) <\/dev\/null || true/' "$script" >"$root/m/script"
    fi
    rc=0
    GEN_USERDATA_SCRIPT=$(basename "$script") STUB_RC=$([ "$mode" = steps-fail ] && echo 1 || echo 0) PATH=/opt/bin:/usr/sbin:/usr/bin:/sbin:/bin \
      /usr/bin/timeout -k 1 8 chroot "$root/m" /bin/bash /script </dev/null >/dev/null 2>&1 || rc=$?
    echo "$(basename "$script") $mode exit $rc" >>"$report/runs.log"
    if [ -e "$root/m/tmp/pwned" ]; then echo "$(basename "$script") $mode: /tmp/pwned exists" >>"$report/pwned.log"; fi
    umount -l "$root/m"; rm -rf "$root/u" "$root/w" "$root/m"
  done
done
`;

const STUB = String.raw`#!/bin/bash
name=$(basename "$0")
printf '%s %s\n' "$name" "$*" >>/gen-userdata-report/calls.log
if [ "$name" = touch ]; then
  case "$*" in *pwned*) printf '%s touch %s\n' "$GEN_USERDATA_SCRIPT" "$*" >>/gen-userdata-report/pwned.log ;; esac
  exec /usr/bin/touch "$@"
fi
exit "\${STUB_RC:-0}"
`.replace('\\${', '${');

const canSandbox = spawnSync('unshare', ['-m', '--fork', 'true']).status === 0 && process.getuid?.() === 0;

t.test('no payload in any profile string runs in any generated script', { skip: canSandbox ? false : 'needs root and mount namespaces' }, async (t) => {
  const fields = stringFields(profileSchema);
  t.ok(fields.length >= 30, `${fields.length} string fields enumerated from the schema`);
  const work = mkdtempSync(join(tmpdir(), 'gen-userdata-inject-'));
  const root = join(work, 'root');
  mkdirSync(root);
  mkdirSync(`${root}.scripts`);
  mkdirSync(`${root}.stubs`);
  const report = join(work, 'report');
  mkdirSync(report);
  for (const name of [...STAND_INS, 'touch']) {
    writeFileSync(join(`${root}.stubs`, name), STUB);
    chmodSync(join(`${root}.stubs`, name), 0o755);
  }
  let accepted = 0;
  let refused = 0;
  const where = new Map<string, string>();
  for (const payload of PAYLOADS) {
    const p = poisoned(payload, fields);
    accepted += p.accepted.length;
    refused += p.refused;
    // A control character is refused in every field, so that payload must find no field.
    const expectNone = /[\u0000-\u001f]/.test(payload);
    t.ok(expectNone ? p.accepted.length === 0 : p.accepted.length > 0, `${JSON.stringify(payload)} accepted in ${p.accepted.length} fields: ${p.accepted.map((a) => a.split('=')[0]).join(' ')}`);
    for (const [hash, script] of scripts(p.profile)) {
      where.set(hash, `${JSON.stringify(payload)}: ${script.origin}`);
      writeFileSync(join(`${root}.scripts`, hash), script.text, { mode: 0o755 });
      for (const [path, content] of script.files) {
        const to = join(`${root}.scripts`, `${hash}.files`, path);
        mkdirSync(dirname(to), { recursive: true });
        writeFileSync(to, content, { mode: 0o755 });
      }
    }
  }
  const runnerFile = join(work, 'runner.sh');
  writeFileSync(runnerFile, RUNNER);
  const run = spawnSync('unshare', ['-m', '--fork', 'bash', runnerFile, root, report], { encoding: 'utf8', timeout: 600_000 });
  t.equal(run.status, 0, run.stderr);
  const runs = readFileSync(join(report, 'runs.log'), 'utf8').trim().split('\n');
  const calls = existsSync(join(report, 'calls.log')) ? readFileSync(join(report, 'calls.log'), 'utf8') : '';
  const pwned = existsSync(join(report, 'pwned.log')) ? readFileSync(join(report, 'pwned.log'), 'utf8') : '';
  t.equal(runs.length, where.size * 3, 'every script ran in all three modes');
  t.ok(calls.split('\n').length > 1000, 'the stand-ins were called: the scripts really ran');
  t.match(calls, /^kubeadm (init|join)/m, 'the runs got as far as kubeadm');
  t.comment(`${accepted} field/payload pairs accepted by the schema (${refused} refused); ${where.size} distinct scripts, ${runs.length} sandbox runs, ${calls.split('\n').length} stand-in calls`);
  const hits = pwned
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => `${line} (${where.get(line.split(' ')[0] ?? '') ?? 'script'})`);
  t.same(hits, [], 'no payload ran');
  if (process.env['GEN_USERDATA_KEEP'] === undefined) rmSync(work, { recursive: true, force: true });
  else t.comment(`kept ${work}`);
});

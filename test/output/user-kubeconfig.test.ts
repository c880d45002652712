// Extra user kubeconfigs signed offline by the cluster CA: checked with openssl
// (chain, subject, EKU, key usage, validity) and for every input mistake.
import t from 'tap';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { parse } from 'yaml';
import { userKubeconfig, USER_KUBECONFIG_DEFAULT_TTL, type UserKubeconfigRequest } from '../../src/output/user-kubeconfig.js';
import { seededRandomBytes } from '../fixtures/secrets/seeded-random.js';
import { fixtureSecrets, profileAt } from '../helpers/fixtures.js';

const profile = profileAt('profiles/ha.yaml');
const secrets = fixtureSecrets('ha');
const NOW = new Date('2026-03-01T12:00:00Z');
const dir = mkdtempSync(join(tmpdir(), 'gen-userdata-user-kc-'));
const caFile = join(dir, 'ca.crt');
writeFileSync(caFile, secrets.ca.cert);

function request(over: Partial<UserKubeconfigRequest> = {}): UserKubeconfigRequest {
  return { profile, secrets, user: 'alice', groups: [], ttl: USER_KUBECONFIG_DEFAULT_TTL, breakGlass: false, now: NOW, randomBytes: seededRandomBytes('user-kubeconfig'), ...over };
}

function openssl(args: string[], input?: string): { status: number | null; out: string } {
  const r = spawnSync('openssl', args, { input, encoding: 'utf8' });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

interface Kubeconfig {
  clusters: { name: string; cluster: { server: string; 'certificate-authority-data': string } }[];
  users: { name: string; user: { 'client-certificate-data': string; 'client-key-data': string } }[];
  contexts: { name: string; context: { cluster: string; user: string } }[];
  'current-context': string;
}

async function issue(over: Partial<UserKubeconfigRequest>): Promise<{ kc: Kubeconfig; cert: string; key: string; notAfter: string; groups: string[] }> {
  const r = await userKubeconfig(request(over));
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
  const kc = parse(r.value.kubeconfig) as Kubeconfig;
  const b64 = (s: string): string => Buffer.from(s, 'base64').toString('utf8');
  return { kc, cert: b64(kc.users[0]!.user['client-certificate-data']), key: b64(kc.users[0]!.user['client-key-data']), notAfter: r.value.notAfter, groups: r.value.groups };
}

function verify(cert: string): { status: number | null; out: string } {
  const file = join(dir, `c-${Math.random().toString(36).slice(2)}.crt`);
  writeFileSync(file, cert);
  const at = String(Math.floor(NOW.getTime() / 1000) + 60);
  return openssl(['verify', '-attime', at, '-x509_strict', '-purpose', 'sslclient', '-CAfile', caFile, file]);
}

t.test('a user with groups: chain verifies, subject and EKU as asked, 720h by default', async (t) => {
  const { kc, cert, key, notAfter, groups } = await issue({ user: 'alice', groups: ['dev', 'ops'] });
  const v = verify(cert);
  t.equal(v.status, 0, v.out);
  const subject = openssl(['x509', '-noout', '-subject', '-nameopt', 'RFC2253'], cert).out;
  t.match(subject, /CN=alice/);
  t.match(subject, /O=dev/);
  t.match(subject, /O=ops/);
  t.notMatch(subject, /system:masters/);
  t.same(groups, ['dev', 'ops']);
  const ext = openssl(['x509', '-noout', '-ext', 'keyUsage,extendedKeyUsage,basicConstraints'], cert).out;
  t.match(ext, /TLS Web Client Authentication/);
  t.notMatch(ext, /Server Authentication/);
  t.match(ext, /Digital Signature, Key Encipherment/);
  t.match(ext, /CA:FALSE/);
  const dates = openssl(['x509', '-noout', '-startdate', '-enddate'], cert).out;
  const start = Date.parse(/notBefore=(.*)/.exec(dates)![1]!);
  const end = Date.parse(/notAfter=(.*)/.exec(dates)![1]!);
  t.equal(start, NOW.getTime() - 5 * 60_000, 'backdated 5 minutes like kubeadm');
  t.equal((end - start) / 3_600_000, 720);
  t.equal(notAfter, new Date(end).toISOString());
  t.equal(openssl(['x509', '-noout', '-modulus'], cert).out, openssl(['rsa', '-noout', '-modulus'], key).out, 'key matches');
  t.equal(kc.clusters[0]!.cluster.server, 'https://192.168.56.10:6443');
  t.equal(Buffer.from(kc.clusters[0]!.cluster['certificate-authority-data'], 'base64').toString('utf8'), secrets.ca.cert);
  t.equal(kc.clusters[0]!.name, 'ha');
  t.equal(kc['current-context'], 'alice@ha');
  t.same(kc.contexts[0], { name: 'alice@ha', context: { cluster: 'ha', user: 'alice' } });
});

t.test('--break-glass adds O=system:masters', async (t) => {
  const { cert, groups } = await issue({ user: 'oncall', breakGlass: true, ttl: '8h' });
  t.equal(verify(cert).status, 0);
  t.match(openssl(['x509', '-noout', '-subject', '-nameopt', 'RFC2253'], cert).out, /O=system:masters/);
  t.same(groups, ['system:masters']);
  const dates = openssl(['x509', '-noout', '-startdate', '-enddate'], cert).out;
  t.equal((Date.parse(/notAfter=(.*)/.exec(dates)![1]!) - Date.parse(/notBefore=(.*)/.exec(dates)![1]!)) / 3_600_000, 8);
  const both = await issue({ user: 'oncall', groups: ['ops'], breakGlass: true });
  t.same(both.groups, ['ops', 'system:masters']);
});

t.test('no groups at all is fine (RBAC by user name)', async (t) => {
  const { cert, groups } = await issue({ user: 'ci-bot' });
  t.same(groups, []);
  t.notMatch(openssl(['x509', '-noout', '-subject', '-nameopt', 'RFC2253'], cert).out, /O=/);
});

t.test('a certificate signed by another CA does not verify (the check can fail)', async (t) => {
  const lab = fixtureSecrets('lab');
  const r = await userKubeconfig(request({ secrets: lab, profile: profileAt('profiles/lab.yaml') }));
  t.ok(r.ok);
  if (!r.ok) return;
  const cert = Buffer.from((parse(r.value.kubeconfig) as Kubeconfig).users[0]!.user['client-certificate-data'], 'base64').toString('utf8');
  t.not(verify(cert).status, 0);
});

t.test('input mistakes are diagnostics', async (t) => {
  const codes = async (over: Partial<UserKubeconfigRequest>): Promise<string[]> => {
    const r = await userKubeconfig(request(over));
    return r.ok ? [] : r.diagnostics.map((d) => `${d.code} ${d.path}`);
  };
  t.same(await codes({ user: '' }), ['invalid-value --user']);
  t.same(await codes({ user: ' alice' }), ['invalid-value --user']);
  t.same(await codes({ user: 'a\nb' }), ['invalid-value --user']);
  t.same(await codes({ user: 'x'.repeat(65) }), ['invalid-value --user']);
  t.same(await codes({ user: 'x'.repeat(64) }), [], '64 characters is the X.509 limit, still fine');
  t.same(await codes({ groups: ['dev', ''] }), ['invalid-value --group']);
  t.same(await codes({ groups: ['system:masters'] }), ['invalid-value --group'], 'break-glass only via --break-glass');
  t.same(await codes({ ttl: 'soon' }), ['invalid-duration --ttl']);
  t.same(await codes({ ttl: '0' }), ['invalid-duration --ttl']);
  t.same(await codes({ ttl: '-5h' }), ['invalid-duration --ttl']);
  t.same(await codes({ ttl: '100000h' }), ['ttl-beyond-ca --ttl'], 'cannot outlive the CA');
  t.same(await codes({ user: '', ttl: 'x' }), ['invalid-value --user', 'invalid-duration --ttl'], 'all problems at once');
});

t.test('a system: user name is allowed with a warning', async (t) => {
  const r = await userKubeconfig(request({ user: 'system:kube-scheduler' }));
  t.ok(r.ok);
  if (r.ok) t.same(r.warnings.map((w) => [w.severity, w.code]), [['warning', 'reserved-name']]);
});

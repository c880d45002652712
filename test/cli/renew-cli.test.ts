// admin.conf's expiry in the run summary, `kubeconfig --renew-admin` and `ca-hash --check`.
import t from 'tap';
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { fileMode, outWithFixtureSecrets, runCli } from '../helpers/fixtures.js';
import { parseSecrets } from '../../src/pki/parse-secrets.js';
import { caExpiryReport } from '../../src/pki/ca-expiry.js';
import { fixtureSecrets } from '../helpers/fixtures.js';

const adminCert = (conf: string): X509Certificate => {
  const doc = parse(conf) as { users: { user: { 'client-certificate-data': string } }[] };
  return new X509Certificate(Buffer.from(doc.users[0]!.user['client-certificate-data'], 'base64'));
};

t.test('a generation run states when admin.conf expires', async (t) => {
  const out = outWithFixtureSecrets('lab');
  const r = runCli(['--profile', 'lab', '--out', out]);
  t.equal(r.status, 0, r.stderr);
  const expiry = new Date(adminCert(readFileSync(join(out, 'lab', 'admin.conf'), 'utf8')).validTo).toISOString();
  t.match(r.stdout, `admin.conf: kubernetes-admin, valid until ${expiry} (renew offline with gen-userdata kubeconfig --renew-admin)`);
});

t.test('kubeconfig --renew-admin re-signs admin.conf offline; only the admin certificate in secrets.yaml changes', async (t) => {
  const out = outWithFixtureSecrets('lab');
  t.equal(runCli(['--profile', 'lab', '--out', out]).status, 0);
  const secretsFile = join(out, 'lab', 'secrets.yaml');
  const before = parseSecrets(readFileSync(secretsFile, 'utf8'), secretsFile);
  const oldConf = readFileSync(join(out, 'lab', 'admin.conf'), 'utf8');
  const r = runCli(['kubeconfig', '--profile', 'lab', '--out', out, '--renew-admin']);
  t.equal(r.status, 0, r.stderr);
  t.equal(r.stdout, '', 'nothing on stdout');
  t.notMatch(r.stderr, /PRIVATE KEY|client-key-data/);
  const conf = readFileSync(join(out, 'lab', 'admin.conf'), 'utf8');
  t.not(conf, oldConf);
  t.equal(fileMode(join(out, 'lab', 'admin.conf')), '600');
  t.equal(fileMode(secretsFile), '600');
  const cert = adminCert(conf);
  t.match(cert.subject, /O=kubeadm:cluster-admins/);
  t.match(cert.subject, /CN=kubernetes-admin/);
  const days = (new Date(cert.validTo).getTime() - Date.now()) / 86400000;
  t.ok(days > 364 && days < 366, `valid for a year from now (${days.toFixed(1)} days)`);
  t.ok(cert.verify(new X509Certificate(before.ok ? before.value.ca.cert : '').publicKey), 'signed by the cluster CA');
  t.match(r.stderr, `valid until ${new Date(cert.validTo).toISOString()}`);
  const after = parseSecrets(readFileSync(secretsFile, 'utf8'), secretsFile);
  t.ok(before.ok && after.ok);
  if (before.ok && after.ok) {
    t.same({ ...after.value, admin: undefined }, { ...before.value, admin: undefined }, 'CAs, keys and token unchanged');
    t.not(after.value.admin.key, before.value.admin.key, 'a fresh key');
  }
  // The next generation run writes the same renewed admin.conf.
  t.equal(runCli(['--profile', 'lab', '--out', out]).status, 0);
  t.equal(readFileSync(join(out, 'lab', 'admin.conf'), 'utf8'), conf);
  // A ttl past the CA's expiry is refused and changes nothing.
  const tooLong = runCli(['kubeconfig', '--profile', 'lab', '--out', out, '--renew-admin', '--ttl', '200000h']);
  t.equal(tooLong.status, 1);
  t.match(tooLong.stderr, /outlive the cluster CA/);
  t.equal(readFileSync(join(out, 'lab', 'admin.conf'), 'utf8'), conf);
  t.equal(runCli(['kubeconfig', '--profile', 'lab', '--out', out, '--renew-admin', '--user', 'x']).status, 2);
});

t.test('ca-hash --check lists the CAs and warns within a year of expiry', async (t) => {
  const out = outWithFixtureSecrets('lab');
  const r = runCli(['ca-hash', '--profile', 'lab', '--out', out, '--check']);
  t.equal(r.status, 0, r.stderr);
  t.match(r.stdout, /^sha256:[0-9a-f]{64}\n$/);
  for (const name of ['ca', 'front-proxy-ca', 'etcd/ca']) t.match(r.stderr, new RegExp(`^${name}: valid until \\S+ \\(\\d+ days left\\)$`, 'm'));
  const secrets = fixtureSecrets('lab');
  const notAfter = new Date(new X509Certificate(secrets.ca.cert).validTo);
  t.same(caExpiryReport(secrets, new Date(notAfter.getTime() - 400 * 86400000)).warnings, [], 'more than a year left: no warning');
  const soon = caExpiryReport(secrets, new Date(notAfter.getTime() - 100 * 86400000));
  t.equal(soon.warnings.length, 3);
  t.match(soon.warnings[0]?.message, /^ca expires on .*, in 100 days: plan a CA rotation/);
  t.match(caExpiryReport(secrets, new Date(notAfter.getTime() + 86400000)).warnings[0]?.message, /ca expired on/);
});

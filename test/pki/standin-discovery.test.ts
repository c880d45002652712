// The e2e stand-in kubeadm's discovery (test/e2e/image/overlay/.../standin.py) must
// pin a CA the way real kubeadm does, for RSA and ECDSA CAs alike: SHA-256 over
// the certificate's DER SubjectPublicKeyInfo. Checked here without a VM, against
// caCertHash and through the stand-in's own accept/reject decision.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { join } from 'node:path';
import { caCertHash } from '../../src/pki/ca-cert-hash.js';
import { ROOT, fixtureSecrets } from '../helpers/fixtures.js';

const STANDIN = join(ROOT, 'test', 'e2e', 'image', 'overlay', 'usr', 'local', 'libexec', 'gen-userdata-e2e', 'standin.py');

/** Runs the stand-in's discovery() with a CA (base64 DER) and a JoinConfiguration; returns its error or "ok" and the pin. */
function discovery(caB64: string, pins: string[]): { result: string; pin: string } {
  const script = `
import importlib.util, json, sys
sys.argv = ["kubeadm"]
spec = importlib.util.spec_from_file_location("standin", ${JSON.stringify(STANDIN)})
m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)
m.cmdline_param = lambda name, default=None: ${JSON.stringify(caB64)} if name == "cluster_ca" else default
err = m.discovery({"discovery": {"bootstrapToken": {"caCertHashes": json.loads(sys.stdin.read())}}})
print(json.dumps({"result": err or "ok", "pin": m.RECORD.get("discovery_pin", "")}))
`;
  const r = spawnSync('python3', ['-B', '-c', script], { input: JSON.stringify(pins), encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout) as { result: string; pin: string };
}

for (const fixture of ['lab', 'lab-ecdsa'] as const) {
  t.test(`${fixture}: the stand-in pins the CA like kubeadm and rejects a wrong pin`, async (t) => {
    const ca = fixtureSecrets(fixture).ca.cert;
    const der = new X509Certificate(ca).raw.toString('base64');
    const good = discovery(der, [caCertHash(ca)]);
    t.equal(good.pin, caCertHash(ca));
    t.equal(good.result, 'ok');
    const other = caCertHash(fixtureSecrets(fixture === 'lab' ? 'lab-ecdsa' : 'lab').ca.cert);
    const bad = discovery(der, [other]);
    t.match(bad.result, /cluster CA found in cluster-info ConfigMap is invalid: none of the public keys "sha256:[0-9a-f]{64}" are pinned/);
  });
}

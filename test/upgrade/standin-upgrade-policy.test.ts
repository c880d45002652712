// The e2e stand-in kubeadm's `upgrade apply` version policy (test/e2e/image/overlay/
// .../standin.py, upgrade_version_errors) must refuse what real kubeadm refuses
// (a version above its own, more than one minor at a time, a minor below its own)
// and, stricter, anything but its own package's version, so a generated upgrade
// script that asks for another version fails in the VM suite. Checked here without a VM.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from '../helpers/fixtures.js';

const STANDIN = join(ROOT, 'test', 'e2e', 'image', 'overlay', 'usr', 'local', 'libexec', 'gen-userdata-e2e', 'standin.py');

/** upgrade_version_errors(target, cluster version, kubeadm's own version). */
function errors(target: string, current: string, own: string): string[] {
  const script = `
import importlib.util, json, sys
sys.argv = ["kubeadm"]
spec = importlib.util.spec_from_file_location("standin", ${JSON.stringify(STANDIN)})
m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)
print(json.dumps(m.upgrade_version_errors(*json.loads(sys.stdin.read()))))
`;
  const r = spawnSync('python3', ['-B', '-c', script], { input: JSON.stringify([target, current, own]), encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout) as string[];
}

t.same(errors('v1.31.2', '1.30.0', '1.31.2'), [], 'the next minor at kubeadm\'s own version: accepted');
t.same(errors('v1.30.6', '1.30.0', '1.30.6'), [], 'a patch upgrade at kubeadm\'s own version: accepted');
t.match(errors('v1.31.3', '1.30.0', '1.31.2'), [/higher than the kubeadm version "v1\.31\.2"\. Upgrade kubeadm first/], 'above kubeadm: refused like real kubeadm');
t.match(errors('v1.32.0', '1.30.0', '1.32.0'), [/too high; kubeadm can upgrade only 1 minor version at a time/], 'two minors: refused');
t.match(errors('v1.30.5', '1.30.0', '1.31.2'), [/can only be used to upgrade to Kubernetes version "v1\.31"/], 'a minor below kubeadm: refused');
t.match(errors('v1.31.1', '1.30.0', '1.31.2'), [/expects the kubeadm package's own version/], 'another patch than the package: refused (stricter than real kubeadm)');
t.match(errors('1.31', '1.30.0', '1.31.2'), [/not a semantic version/], 'not a version: refused');

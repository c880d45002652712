// When user-data is over EC2's 16 KB, its scripts go gzip+base64, node tools first,
// only as many as it takes; a document that does not fit either way stays plain.
import t from 'tap';
import { emitUserData, USER_DATA_FIT_BYTES } from '../../src/emit/cloud-init/user-data.js';
import { buildClusterPlans } from '../../src/plan/build-node-plan.js';
import type { NodePlan } from '../../src/plan/types.js';
import { bundledTemplates, fixtureSecrets, profileAt } from '../helpers/fixtures.js';
import { userDataFiles } from '../helpers/cloud-init-files.js';

const plans = buildClusterPlans(profileAt('profiles/lab.yaml'), fixtureSecrets('lab'), bundledTemplates(), 'cloud-init');
const packedPaths = (text: string): string[] => [...text.matchAll(/- path: (\S+)\n(?:\s+\w+: .*\n)*?\s+encoding: gz\+b64/g)].map((m) => m[1]!);

t.test('a lab worker: packed to fit, and cloud-init writes every file as planned', async (t) => {
  const worker = plans[1]!;
  const text = emitUserData(worker);
  t.ok(Buffer.byteLength(text) <= USER_DATA_FIT_BYTES, `${Buffer.byteLength(text)} B`);
  t.ok(packedPaths(text).includes('/usr/local/sbin/k8s-diag'), 'the node tools are packed');
  const files = userDataFiles(text);
  for (const f of worker.files) t.equal(files.get(f.path), f.content, `${f.path} decodes to the planned text`);
});

t.test('only as many as needed: the bootstrap is packed only when nothing else makes it fit; one that fits stays plain', async (t) => {
  const worker = plans[1]!;
  const small: NodePlan = { ...worker, files: worker.files.filter((f) => !f.path.endsWith('/k8s-reset')) };
  if (packedPaths(emitUserData(worker)).includes('/usr/local/sbin/gen-userdata-bootstrap')) {
    // Without the bootstrap as a candidate the rest cannot make it fit: emitUserData then packs nothing.
    const bootstrapPlain: NodePlan = { ...worker, files: worker.files.map((f) => (f.path.endsWith('/gen-userdata-bootstrap') ? { ...f, compress: undefined } : f)) };
    const text = emitUserData(bootstrapPlain);
    t.same(packedPaths(text), [], 'packing everything but the bootstrap is not enough');
    t.ok(Buffer.byteLength(text) > USER_DATA_FIT_BYTES, `${Buffer.byteLength(text)} B without packing`);
  }
  const tiny: NodePlan = { ...worker, files: worker.files.filter((f) => !/\/k8s-/.test(f.path)) };
  const plain = emitUserData(tiny);
  if (Buffer.byteLength(plain) <= USER_DATA_FIT_BYTES) t.same(packedPaths(plain), [], 'fits: nothing packed');
  // Node tools go before the library, the library before the bootstrap.
  const order = ['/usr/local/sbin/k8s-diag', '/usr/local/sbin/k8s-reset', '/usr/local/lib/gen-userdata/common.sh', '/usr/local/sbin/gen-userdata-bootstrap'];
  const all = packedPaths(emitUserData(worker));
  const count = all.filter((p) => order.includes(p)).length;
  t.ok(order.slice(0, count).every((p) => all.includes(p)), `a prefix of the order is packed: ${all.join(', ')}`);
  const smallPacked = packedPaths(emitUserData(small)).filter((p) => order.includes(p)).length;
  t.ok(smallPacked <= count, 'a smaller document packs no more');
});

t.test('the control plane does not fit either way: its scripts stay plain text, which gzips best', async (t) => {
  const text = emitUserData(plans[0]!);
  t.ok(Buffer.byteLength(text) > USER_DATA_FIT_BYTES);
  const toFit = new Set(plans[0]!.files.filter((f) => f.compress === 'to-fit').map((f) => f.path));
  t.ok(toFit.size >= 5);
  t.same(packedPaths(text).filter((p) => toFit.has(p)), [], 'none of the to-fit scripts is packed');
});

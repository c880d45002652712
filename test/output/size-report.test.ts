import t from 'tap';
import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { OutputFile } from '../../src/output/output-file.js';
import { PER_NODE_REPORT_LIMIT, sizeReport } from '../../src/output/size-report.js';
import { generateClusterFiles } from '../../src/output/generate-cluster.js';
import { bundledTemplates, fixtureSecrets, profileAt } from '../helpers/fixtures.js';

/** A node's user-data of `bytes` bytes: repetitive text (gzips well) or random (does not). */
function userData(node: string, bytes: number, compressible = true, role: 'worker' | 'control-plane' = 'worker'): OutputFile {
  const content = compressible ? new Uint8Array(bytes).fill(0x61) : new Uint8Array(randomBytes(bytes));
  return { path: `nodes/${node}/user-data`, content, mode: 0o600, format: 'cloud-init', node, role };
}

t.test('one line per file: raw, gzip -9 and gzip+base64 sizes', async (t) => {
  const f = userData('w1', 20_000);
  const gz = gzipSync(f.content, { level: 9 }).byteLength;
  t.same(sizeReport([f]).lines, [`  nodes/w1/user-data: 20000 B raw, ${gz} B gzip, ${4 * Math.ceil(gz / 3)} B gzip+base64`]);
});

t.test('above the per-node limit, the largest file per role and kind', async (t) => {
  const files = Array.from({ length: PER_NODE_REPORT_LIMIT + 1 }, (_, i) => userData(`w${i}`, 1000 + i));
  const { lines } = sizeReport(files);
  t.equal(lines.length, 1);
  t.match(lines[0], `worker user-data (${PER_NODE_REPORT_LIMIT + 1} nodes, largest): ${1000 + PER_NODE_REPORT_LIMIT} B raw`);
});

t.test('over AWS EC2 16 KB but fine gzipped: one warning that says to gzip', async (t) => {
  const { warnings } = sizeReport([userData('w1', 17_000), userData('w2', 17_000), userData('w3', 1000)]);
  t.equal(warnings.length, 1);
  t.equal(warnings[0]!.code, 'size-limit');
  t.equal(warnings[0]!.message, "nodes/w1/user-data, nodes/w2/user-data exceed the AWS EC2 limit of 16384 B; write it gzip'd with --compress gzip (cloud-init detects gzip'd user-data)");
});

t.test('too big even gzipped: names the role and its gzip size, and other ways in', async (t) => {
  const incompressible = userData('cp', 17_000, false, 'control-plane');
  const gz = gzipSync(incompressible.content, { level: 9 }).byteLength;
  const { warnings } = sizeReport([incompressible, userData('w1', 17_000)]);
  t.equal(warnings.length, 1);
  t.equal(
    warnings[0]!.message,
    `nodes/cp/user-data, nodes/w1/user-data exceed the AWS EC2 limit of 16384 B; write it gzip'd with --compress gzip (cloud-init detects gzip'd user-data); over it even gzipped: control-plane user-data (${gz} B gzipped); deliver it as a seed ISO (--format iso), an HTTP seed (--format nocloud-net) or cloud-init's #include`,
  );
  const alone = sizeReport([incompressible]).warnings[0]!.message;
  t.match(alone, /exceeds the AWS EC2 limit of 16384 B; over it even gzipped/, 'no gzip advice when gzip saves nothing');
});

t.test('every provider limit and --max-bytes get their own warning', async (t) => {
  const { warnings } = sizeReport([userData('w1', 70_000)], 50_000);
  t.same(
    warnings.map((w) => w.message.split(';')[0]),
    [
      'nodes/w1/user-data exceeds --max-bytes 50000',
      'nodes/w1/user-data exceeds the AWS EC2 limit of 16384 B',
      'nodes/w1/user-data exceeds the Azure custom data limit of 65535 B',
      'nodes/w1/user-data exceeds the VMware guestinfo limit of 65536 B',
      "nodes/w1/user-data exceeds OpenStack's 65535 base64 characters",
    ],
  );
  t.equal(warnings[0]!.message, 'nodes/w1/user-data exceeds --max-bytes 50000', 'no hint for the user-chosen limit');
});

t.test('the nocloud-net copies are not reported twice', async (t) => {
  const copy: OutputFile = { ...userData('w1', 17_000), path: 'http/w1/user-data', format: 'nocloud-net' };
  t.same(sizeReport([copy]), { lines: [], warnings: [] });
});

t.test("per role, the largest file decides whether gzip is enough", async (t) => {
  const big = userData('cp-1', 20_000, false, 'control-plane');
  const gz = gzipSync(big.content, { level: 9 }).byteLength;
  const { warnings } = sizeReport([userData('cp-2', 17_000, true, 'control-plane'), big, userData('w1', 17_000, false)]);
  t.match(warnings[0]!.message, `; over it even gzipped: control-plane user-data (${gz} B gzipped), worker user-data (`);
  t.notMatch(warnings[0]!.message, '--compress gzip', 'no role gets by with gzip');
});

t.test("--compress gzip: the report shows the gzip'd size as written and the raw size, and checks limits on what is written", async (t) => {
  const plain = userData('w1', 40_000);
  const gz = gzipSync(plain.content, { level: 9 });
  const written: OutputFile = { ...plain, content: new Uint8Array(gz) };
  const { lines, warnings } = sizeReport([written]);
  t.same(lines, [`  nodes/w1/user-data: ${gz.byteLength} B gzip as written (40000 B raw), ${4 * Math.ceil(gz.byteLength / 3)} B gzip+base64`]);
  t.same(warnings, [], 'fits every limit once gzip\'d');
  const random = userData('cp', 20_000, false, 'control-plane');
  const big: OutputFile = { ...random, content: new Uint8Array(gzipSync(random.content, { level: 9 })) };
  const over = sizeReport([big]).warnings;
  t.equal(over.length, 1);
  t.notMatch(over[0]!.message, '--compress gzip', 'no gzip advice for a file written gzip\'d');
  t.match(over[0]!.message, 'over it even gzipped: control-plane user-data');
});

t.test('just over at gzip -9 (the lab control plane): --compress gzip is the advice, with zopfli named, not another way in', async (t) => {
  const files = generateClusterFiles({ profile: profileAt('profiles/lab.yaml'), secrets: fixtureSecrets('lab-ecdsa'), templates: bundledTemplates(), formats: ['cloud-init'] });
  const cp = files.find((f) => f.role === 'control-plane' && f.path.endsWith('/user-data'))!;
  const gz = gzipSync(cp.content, { level: 9 }).byteLength;
  t.ok(gz > 16384 && gz * 0.95 <= 16384, `${gz} B at gzip -9: just over`);
  const ec2 = sizeReport(files).warnings.find((w) => w.message.includes('AWS EC2'))!;
  t.match(ec2.message, `write it gzip'd with --compress gzip (cloud-init detects gzip'd user-data); control-plane user-data is ${gz} B at gzip -9, which --compress gzip shrinks further with zopfli`);
  t.notMatch(ec2.message, 'over it even gzipped');
});

/** The command line: parses argv and runs one command. The bin entry is main.ts; tests call main() in-process. */
import yargs from 'yargs';
import { runGenerate } from './commands/generate.js';
import { runCaHash } from './commands/ca-hash.js';
import { runKubeconfig } from './commands/kubeconfig.js';
import { runTokenRotate, runTokenShow, type TokenRotateOptions } from './commands/token.js';
import { runImage } from './commands/image.js';
import { runUpgrade } from './commands/upgrade.js';
import { runStatus } from './commands/status.js';
import { runRotateEncryptionKey } from './commands/secrets.js';
import { runCapacity } from './commands/capacity.js';
import { UsageError } from './load-templates.js';
import { EXIT } from './report.js';
import { IGNITION_SPEC_VERSIONS } from '../emit/ignition/types.js';
import { packageVersion } from './package-paths.js';

const profileOption = {
  type: 'string',
  default: 'lab',
  describe: 'Bundled profile name (lab, ha, prod) or path to a profile YAML file',
} as const;
const outOption = { type: 'string', default: 'out', describe: 'Output root; files go to <out>/<cluster>/' } as const;

/** Options of the commands that change secrets.yaml and regenerate the output (token rotate, secrets). */
function regenerateOptions(prefix: string) {
  return {
    profile: profileOption,
    out: outOption,
    format: { choices: ['cloud-init', 'iso', 'ignition', 'nocloud-net', 'all'] as const, describe: `${prefix}what to regenerate (default: what the previous run wrote)` },
    templates: { type: 'string', describe: `${prefix}directory with template overrides` },
    'base-url': { type: 'string', describe: `${prefix}as for generate, when the output has the nocloud-net HTTP tree` },
    kernel: { type: 'string', describe: `${prefix}as for generate (nocloud-net)` },
    initrd: { type: 'string', describe: `${prefix}as for generate (nocloud-net)` },
    'kernel-args': { type: 'string', describe: `${prefix}as for generate (nocloud-net)` },
  } as const;
}

/** The parsed regenerateOptions as the commands take them. */
function regenerateArgs(args: {
  profile: string;
  out: string;
  format?: TokenRotateOptions['format'];
  templates?: string;
  'base-url'?: string;
  kernel?: string;
  initrd?: string;
  'kernel-args'?: string;
}): TokenRotateOptions {
  return {
    profile: args.profile,
    out: args.out,
    ...(args.format !== undefined ? { format: args.format } : {}),
    ...(args.templates !== undefined ? { templates: args.templates } : {}),
    ...(args['base-url'] !== undefined ? { baseUrl: args['base-url'] } : {}),
    ...(args.kernel !== undefined ? { kernel: args.kernel } : {}),
    ...(args.initrd !== undefined ? { initrd: args.initrd } : {}),
    ...(args['kernel-args'] !== undefined ? { kernelArgs: args['kernel-args'] } : {}),
  };
}

/** Parses argv and runs one command; resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  let code: number = EXIT.ok;
  const run = async (fn: () => number | Promise<number>): Promise<void> => {
    try {
      code = await fn();
    } catch (err) {
      if (err instanceof UsageError) {
        process.stderr.write(`gen-userdata: ${err.message}\n`);
        code = EXIT.usage;
      } else {
        throw err;
      }
    }
  };
  await yargs(argv)
    .scriptName('gen-userdata')
    .usage('$0 [options]\n\nGenerates first-boot configuration (cloud-init, NoCloud seed ISO, nocloud-net HTTP seeds with iPXE scripts, Ignition) for every node of a self-assembling kubeadm cluster. Output goes to <out>/<cluster>/.')
    .command(
      '$0',
      'Generate per-node first-boot configuration',
      (y) =>
        y
          .option('profile', profileOption)
          .option('out', outOption)
          .option('node', { type: 'string', describe: 'Only this node (with --stdout)' })
          .option('stdout', { type: 'boolean', default: false, describe: "Print one node's user-data instead of writing files" })
          .option('check', { type: 'boolean', default: false, describe: 'Validate the profile and write nothing' })
          .option('dry-run', { type: 'boolean', default: false, describe: 'Print what would change against the previous run (manifest.json) and write nothing' })
          .option('format', {
            choices: ['cloud-init', 'iso', 'ignition', 'nocloud-net', 'all'] as const,
            default: 'cloud-init' as const,
            describe: 'What to write per node (all includes nocloud-net only with --base-url)',
          })
          .option('base-url', { type: 'string', describe: 'nocloud-net: URL where <out>/<cluster>/http/ is served; seeds are <base-url>/<node>/' })
          .option('kernel', { type: 'string', describe: 'nocloud-net: kernel for the iPXE scripts, URL or path relative to the script (default vmlinuz)' })
          .option('initrd', { type: 'string', describe: 'nocloud-net: initrd for the iPXE scripts, URL or path relative to the script (default initrd.img)' })
          .option('kernel-args', { type: 'string', describe: 'nocloud-net: extra kernel arguments, e.g. "root=/dev/sda1 console=ttyS0"' })
          .option('ignition-version', { choices: IGNITION_SPEC_VERSIONS, describe: 'Ignition spec of config.ign (default 3.4.0; 3.3.0 for Flatcar older than Alpha 3535)' })
          .option('ignition-stub-url', { type: 'string', describe: 'Also write nodes/<node>/config.stub.ign, a <1 KiB config that fetches <url>/<node>/config.ign (VirtualBox guest property)' })
          .option('templates', { type: 'string', describe: 'Directory with template overrides (same relative paths as templates/)' })
          .option('max-bytes', { type: 'number', describe: 'Warn when a user-data or config.ign is larger than this' })
          .option('compress', {
            choices: ['none', 'gzip'] as const,
            default: 'none' as const,
            describe: "gzip: write nodes/<node>/user-data gzip'd (cloud-init detects it); with --stdout, only into a pipe or file",
          })
          .option('allow-version-skew', { type: 'boolean', default: false, describe: 'Generate even when the previous run was for a Kubernetes version new nodes could not join (downgrade, skipped minor)' })
          .example('$0', 'Write out/lab/ from the bundled lab profile')
          .example('$0 --profile ./prod.yaml --format all', 'cloud-init, seed ISOs and Ignition for every node')
          .example('$0 --format nocloud-net --base-url http://10.0.0.1/lab --kernel /debian/vmlinuz --initrd /debian/initrd.img --kernel-args "root=/dev/sda1"', 'HTTP seeds and an iPXE script per node in out/lab/http/ (docs/pxe.md)')
          .example('$0 --profile ./prod.yaml --format ignition --ignition-stub-url http://10.0.0.1/prod', 'Ignition configs plus stubs that fetch them (VirtualBox; docs/ignition-delivery.md)')
          .example('$0 --stdout --node worker-1', "Print worker-1's user-data for pasting")
          .example('$0 --stdout --node cp-1 --compress gzip > cp-1.user-data.gz', "A control plane's user-data gzip'd, e.g. for EC2's 16 KB limit")
          .example('$0 --check --profile ./prod.yaml', 'Validate a profile only')
          .example('$0 --profile ./prod.yaml --dry-run', 'After adding a node: show which files would change, write nothing'),
      (args) =>
        run(() =>
          runGenerate({
            profile: args.profile,
            out: args.out,
            ...(args.node !== undefined ? { node: args.node } : {}),
            stdout: args.stdout,
            check: args.check,
            dryRun: args['dry-run'],
            format: args.format,
            ...(args.templates !== undefined ? { templates: args.templates } : {}),
            ...(args['max-bytes'] !== undefined ? { maxBytes: args['max-bytes'] } : {}),
            compress: args.compress,
            allowVersionSkew: args['allow-version-skew'],
            ...(args['base-url'] !== undefined ? { baseUrl: args['base-url'] } : {}),
            ...(args.kernel !== undefined ? { kernel: args.kernel } : {}),
            ...(args.initrd !== undefined ? { initrd: args.initrd } : {}),
            ...(args['kernel-args'] !== undefined ? { kernelArgs: args['kernel-args'] } : {}),
            ...(args['ignition-version'] !== undefined ? { ignitionVersion: args['ignition-version'] } : {}),
            ...(args['ignition-stub-url'] !== undefined ? { ignitionStubUrl: args['ignition-stub-url'] } : {}),
          }),
        ),
    )
    .command(
      'ca-hash',
      'Print the discovery CA hash (sha256:<hex> of the CA public key)',
      (y) =>
        y
          .option('profile', profileOption)
          .option('out', outOption)
          .option('cert', { type: 'string', describe: 'Hash this PEM certificate instead of the cluster CA' })
          .option('check', { type: 'boolean', default: false, describe: "Also list the CAs' expiry on stderr and warn about any within a year of it" })
          .example('$0 ca-hash', 'Hash of out/lab/secrets.yaml\'s cluster CA')
          .example('$0 ca-hash --cert /etc/kubernetes/pki/ca.crt', 'Hash of any certificate'),
      (args) => run(() => runCaHash({ profile: args.profile, out: args.out, check: args.check, ...(args.cert !== undefined ? { cert: args.cert } : {}) })),
    )
    .command(
      'image',
      'Write <out>/<cluster>/image/: provision.sh and a Packer template for a golden node image',
      (y) =>
        y
          .option('profile', profileOption)
          .option('out', outOption)
          .option('templates', { type: 'string', describe: 'Directory with template overrides (same relative paths as templates/)' })
          .example('$0 image --profile lab', 'Write out/lab/image/ (docs/golden-image.md)')
          .example('cd out/lab/image && packer init . && packer build .', 'Then build the image'),
      (args) => run(() => runImage({ profile: args.profile, out: args.out, ...(args.templates !== undefined ? { templates: args.templates } : {}) })),
    )
    .command(
      'kubeconfig',
      'Issue a kubeconfig for another user, signed offline by the cluster CA',
      (y) =>
        y
          .option('profile', profileOption)
          .option('out', outOption)
          .option('user', { type: 'string', describe: 'User name (certificate CN); required unless --renew-admin' })
          .option('group', { type: 'string', array: true, default: [] as string[], describe: 'Group (certificate O); repeat for several' })
          .option('ttl', { type: 'string', describe: 'Validity, a Go duration (default 720h = 30 days; 8760h with --renew-admin)' })
          .option('renew-admin', { type: 'boolean', default: false, describe: "Re-sign <out>/<cluster>/admin.conf's certificate offline (stored in secrets.yaml)" })
          .option('break-glass', { type: 'boolean', default: false, describe: 'Add the group system:masters, which bypasses RBAC' })
          .option('output', { type: 'string', describe: 'Write the kubeconfig to this file (mode 0600) instead of stdout' })
          .example('$0 kubeconfig --user alice --group dev --output alice.conf', 'alice in group dev, 30 days, written 0600')
          .example('$0 kubeconfig --user oncall --break-glass --ttl 8h', 'An 8-hour system:masters credential on stdout')
          .example('$0 kubeconfig --profile ./lab.yaml --renew-admin', 'admin.conf valid for another year'),
      (args) =>
        run(() =>
          runKubeconfig({
            profile: args.profile,
            out: args.out,
            ...(args.user !== undefined ? { user: args.user } : {}),
            groups: args.group.map(String),
            ...(args.ttl !== undefined ? { ttl: args.ttl } : {}),
            breakGlass: args['break-glass'],
            renewAdmin: args['renew-admin'],
            ...(args.output !== undefined ? { output: args.output } : {}),
          }),
        ),
    )
    .command(
      'upgrade',
      'Write <out>/<cluster>/upgrade/<from>-to-<to>/: per-node upgrade scripts, ORDER, README.md and run-upgrade.sh',
      (y) =>
        y
          .option('profile', profileOption)
          .option('out', outOption)
          .option('to', { type: 'string', demandOption: true, describe: 'Target Kubernetes version x.y.z: a patch of the same minor or the next minor' })
          .option('target', { choices: ['apt', 'flatcar'] as const, describe: 'apt (pkgs.k8s.io) or flatcar (sysext); default flatcar when the previous run wrote only Ignition' })
          .option('write-profile', { type: 'boolean', default: false, describe: 'Also set cluster.kubernetesVersion in the profile file (comments and layout kept)' })
          .option('sysext-url', { type: 'string', describe: 'flatcar: URL of the new Kubernetes sysext image (default: the sysext-bakery image)' })
          .option('sysext-sha256', { type: 'string', describe: 'flatcar: sha256 of that image, or one per architecture: amd64=HEX,arm64=HEX (default: read from the SHA256SUMS next to it on the node)' })
          .option('templates', { type: 'string', describe: 'Directory with template overrides (same relative paths as templates/)' })
          .example('$0 upgrade --profile ./lab.yaml --to 1.30.6', 'Patch upgrade: scripts in out/lab/upgrade/1.30.0-to-1.30.6/')
          .example('$0 upgrade --profile ./lab.yaml --to 1.31.2 --write-profile', 'Minor upgrade, and the profile now says 1.31.2 for new nodes'),
      (args) =>
        run(() =>
          runUpgrade({
            profile: args.profile,
            out: args.out,
            to: args.to,
            writeProfile: args['write-profile'],
            ...(args.target !== undefined ? { target: args.target } : {}),
            ...(args['sysext-url'] !== undefined ? { sysextUrl: args['sysext-url'] } : {}),
            ...(args['sysext-sha256'] !== undefined ? { sysextSha256: args['sysext-sha256'] } : {}),
            ...(args.templates !== undefined ? { templates: args.templates } : {}),
          }),
        ),
    )
    .command(
      'token <action>',
      'Show or rotate the bootstrap token',
      (y) =>
        y
          .positional('action', { choices: ['show', 'rotate'] as const, describe: 'show: print the token and its expiry; rotate: new token, regenerated output' })
          .options(regenerateOptions('rotate: '))
          .example('$0 token show --profile ha', 'Print the token and when it expires')
          .example('$0 token rotate --profile ha', 'New token; prints the kubeadm token create line for a running cluster'),
      (args) =>
        run(() =>
          args.action === 'show'
            ? runTokenShow({ profile: args.profile, out: args.out })
            : runTokenRotate(regenerateArgs(args)),
        ),
    )
    .command(
      'secrets <action>',
      'Change secrets.yaml: rotate-encryption-key adds a new encryption-at-rest key and regenerates the output',
      (y) =>
        y
          .positional('action', { choices: ['rotate-encryption-key'] as const, describe: 'rotate-encryption-key: new first key, older keys kept for reading' })
          .options(regenerateOptions(''))
          .example('$0 secrets rotate-encryption-key --profile prod.yaml', 'New first key; prints the kubectl command that re-encrypts every Secret'),
      (args) =>
        run(() =>
          runRotateEncryptionKey(regenerateArgs(args)),
        ),
    )
    .command(
      'status',
      "Read the cluster's verdict: every profile node, the verifier's checks (exit 0 verified, 3 pending, 1 failed)",
      (y) =>
        y
          .option('profile', profileOption)
          .option('out', outOption)
          .option('kubeconfig', { type: 'string', describe: 'Kubeconfig to use (default <out>/<cluster>/admin.conf)' })
          .option('watch', { type: 'boolean', default: false, describe: 'Poll until the cluster is verified or failed, or --timeout passes' })
          .option('timeout', { type: 'string', default: '10m', describe: 'With --watch: how long to wait for a verdict (Go duration)' })
          .option('interval', { type: 'string', default: '10s', describe: 'With --watch: time between polls (Go duration)' })
          .option('json', { type: 'boolean', default: false, describe: 'Print the state as JSON' })
          .example('$0 status', 'One look at out/lab/admin.conf\'s cluster')
          .example('$0 status --profile ./prod.yaml --watch --timeout 30m', 'Wait for the first boot to finish; exit 0 once verified'),
      (args) =>
        run(() =>
          runStatus({
            profile: args.profile,
            out: args.out,
            ...(args.kubeconfig !== undefined ? { kubeconfig: args.kubeconfig } : {}),
            watch: args.watch,
            timeout: args.timeout,
            interval: args.interval,
            json: args.json,
          }),
        ),
    )
    .command(
      'capacity',
      'Plan pods and nodes for a request rate: pods = ceil(qps / per-pod-rps x buffer), then nodes per node type at 60-70 % utilisation',
      (y) =>
        y
          .option('profile', profileOption)
          .option('qps', { type: 'number', demandOption: true, describe: 'Peak requests per second for the service' })
          .option('latency-ms', { type: 'number', describe: 'Mean latency in ms (reports requests in flight; needed with --per-pod-concurrency)' })
          .option('per-pod-rps', { type: 'number', describe: 'Requests per second one pod sustains at that latency' })
          .option('per-pod-concurrency', { type: 'number', describe: 'Instead of --per-pod-rps: requests one pod serves at the same time' })
          .option('buffer', { type: 'number', default: 1.3, describe: 'Headroom factor (1.3 = 30 % spare)' })
          .option('cpu-per-pod', { type: 'string', default: '250m', describe: "One pod's CPU request" })
          .option('memory-per-pod', { type: 'string', default: '256Mi', describe: "One pod's memory request" })
          .option('node-cpu', { type: 'string', describe: "Plan for this node size instead of the profile's nodes[].capacity (with --node-memory)" })
          .option('node-memory', { type: 'string', describe: 'Memory of that node size, e.g. 16Gi' })
          .option('json', { type: 'boolean', default: false, describe: 'Print the plan as JSON' })
          .example('$0 capacity --profile ./prod.yaml --qps 1000 --latency-ms 200 --per-pod-rps 50', '26 pods, and the nodes each node type needs')
          .example('$0 capacity --qps 1000 --latency-ms 200 --per-pod-concurrency 10 --node-cpu 4 --node-memory 16Gi --json', 'The same by concurrency, for a 4-core 16Gi node, as JSON'),
      (args) =>
        run(() =>
          runCapacity({
            profile: args.profile,
            qps: args.qps,
            buffer: args.buffer,
            cpuPerPod: args['cpu-per-pod'],
            memoryPerPod: args['memory-per-pod'],
            json: args.json,
            ...(args['latency-ms'] !== undefined ? { latencyMs: args['latency-ms'] } : {}),
            ...(args['per-pod-rps'] !== undefined ? { perPodRps: args['per-pod-rps'] } : {}),
            ...(args['per-pod-concurrency'] !== undefined ? { perPodConcurrency: args['per-pod-concurrency'] } : {}),
            ...(args['node-cpu'] !== undefined ? { nodeCpu: args['node-cpu'] } : {}),
            ...(args['node-memory'] !== undefined ? { nodeMemory: args['node-memory'] } : {}),
          }),
        ),
    )
    .strict()
    .help()
    .alias('h', 'help')
    .version(packageVersion())
    .epilogue('Exit codes: 0 success, 1 invalid input or failed generation (nothing written), 2 usage error; status: 3 still pending.')
    .fail((msg, err) => {
      if (err) throw err;
      process.stderr.write(`gen-userdata: ${msg}\nTry gen-userdata --help\n`);
      process.exit(EXIT.usage);
    })
    .parseAsync();
  return code;
}

// What docs/pxe.md says about GRUB, checked with real GRUB (grub-emu, Debian's
// grub-emu package): in GRUB's script language `;` ends a command, so a bare
// `ds=nocloud-net;s=…` loses everything after the `;` without any error, while a
// quoted or backslash-escaped `;` keeps the word whole. grub-emu has no `linux`
// loader, so `echo` stands in: both are ordinary commands whose words GRUB's script
// parser splits the same way, and `linux` passes a word without spaces, quotes or
// backslashes to the kernel unchanged (grub-core/lib/cmdline.c).
import t from 'tap';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { generateClusterFiles } from '../../src/output/generate-cluster.js';
import { bundledTemplates, fixtureSecrets, profileAt } from '../helpers/fixtures.js';

const GRUB_EMU = '/usr/bin/grub-emu';
const GRUB_MODULES = '/usr/lib/grub/x86_64-emu';
const missing = [GRUB_EMU, GRUB_MODULES].filter((f) => !existsSync(f));
const skip = missing.length > 0 ? `needs ${missing.join(' and ')} (apt-get install grub-emu)` : false;

// grub-emu's console is 80 columns wide and breaks output lines after 79 characters.
const WRAP_AT = 79;

/**
 * Runs grub.cfg text in grub-emu and returns its console output: escape sequences
 * removed, and lines the console wrapped joined again.
 */
async function runGrub(cfg: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'gen-userdata-grub-'));
  const prefix = join(dir, 'grub');
  mkdirSync(prefix);
  symlinkSync(GRUB_MODULES, join(prefix, 'x86_64-emu'));
  writeFileSync(join(prefix, 'grub.cfg'), `${cfg}\nhalt\n`);
  // -m /dev/null: no device map, so GRUB sees no disks; the timeout only guards a hang.
  const { stdout } = await promisify(execFile)(GRUB_EMU, ['-d', prefix, '-r', 'host', '-m', '/dev/null'], {
    env: { ...process.env, TERM: 'dumb' },
    timeout: 60_000,
  });
  const lines = stdout.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '').replace(/\r/g, '').split('\n');
  const joined: string[] = [];
  let carry = '';
  for (const l of lines) {
    if (l.length === WRAP_AT) carry += l;
    else {
      joined.push(carry + l);
      carry = '';
    }
  }
  return [...joined, carry].join('\n');
}

t.test('GRUB: bare `;` cuts the command line, quoting or \\; keeps it', { skip }, async (t) => {
  const files = generateClusterFiles({
    profile: profileAt('profiles/lab.yaml'),
    secrets: fixtureSecrets('lab'),
    templates: bundledTemplates(),
    formats: ['nocloud-net'],
    nocloudNet: { baseUrl: 'http://10.0.0.1/lab', kernelArgs: 'root=/dev/sda1 console=ttyS0,115200n8' },
  });
  const script = Buffer.from(files.find((f) => f.path === 'http/worker-1.ipxe')!.content).toString('utf8');
  // The command line as docs/pxe.md tells GRUB users to copy it (everything after initrd=initrd).
  const cmdline = /^kernel \S+ initrd=initrd (.*)$/m.exec(script)![1]!;
  const words = cmdline.split(' ');
  const ds = words[0]!;
  t.equal(ds, 'ds=nocloud-net;s=http://10.0.0.1/lab/worker-1/');
  const rest = words.slice(1).join(' ');

  const out = await runGrub(
    [
      `echo BARE[ ${cmdline} ]`,
      'echo VAR-S[ $s ]',
      `echo QUOTED[ '${ds}' ${rest} ]`,
      `echo ESCAPED[ ${ds.replace(';', '\\;')} ${rest} ]`,
    ].join('\n'),
  );
  const line = (tag: string): string | undefined => out.split('\n').find((l) => l.startsWith(`${tag}[`));
  t.equal(line('BARE'), 'BARE[ ds=nocloud-net', 'bare: GRUB ends the command at ";" and drops the rest, seed URL and network-config included');
  t.equal(line('VAR-S'), 'VAR-S[ http://10.0.0.1/lab/worker-1/ ]', 'bare: the rest became an assignment to a GRUB variable "s", silently');
  t.equal(line('QUOTED'), `QUOTED[ ${cmdline} ]`, "quoted: the whole command line arrives intact");
  t.equal(line('ESCAPED'), `ESCAPED[ ${cmdline} ]`, 'escaped: the whole command line arrives intact');
});

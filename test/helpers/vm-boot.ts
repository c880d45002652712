/**
 * Boots the e2e guest once under QEMU: a throwaway qcow2 overlay over the
 * cached image, the seed ISO as a CD-ROM, no NIC, the console on ttyS0 and the
 * probe's dump on ttyS1 (both to files). Returns when QEMU exits (the probe
 * powers the guest off) or the time limit kills it.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { VmImage } from './vm-image.js';

export interface BootOptions {
  image: VmImage;
  /** NoCloud seed (label cidata). */
  seedIso: string;
  /** Where the overlay and the logs go; created if missing. */
  workDir: string;
  /** Extra kernel parameters, e.g. ["gen_userdata_e2e.join_failures=2"]. */
  kernelArgs?: string[];
  /** Hard limit for the whole boot; QEMU is killed after it. */
  timeoutMs: number;
  /**
   * QEMU arguments for the guest's network, default ["-nic", "none"] (no NIC at all).
   * See vm-mirror.ts for the user-mode network that reaches only a loopback mirror.
   */
  nicArgs?: string[];
  /** More read-only CD-ROMs, e.g. the operator actions' disk (vm-ops-disk.ts). */
  extraIsos?: string[];
}

export interface BootResult {
  /** QEMU's exit code, null when it was killed. */
  exitCode: number | null;
  timedOut: boolean;
  elapsedMs: number;
  consoleLog: string;
  probeLog: string;
  /** The command line, for messages. */
  command: string[];
}

/**
 * QEMU acceleration: $GEN_USERDATA_E2E_ACCEL, default TCG. KVM is not the
 * default because nested KVM on these machines fails (MSR errors, emulation
 * failures); TCG works everywhere, only slower.
 */
export function accel(): string {
  return process.env.GEN_USERDATA_E2E_ACCEL || 'tcg,thread=multi';
}

/**
 * Guest CPUs: $GEN_USERDATA_E2E_SMP, default 1. The suite runs up to three
 * guests on two host cores; a guest with two vCPUs then spends host time on
 * vCPUs waiting for each other, and a guest's boot is mostly serial anyway.
 */
export function guestCpus(): string {
  return process.env.GEN_USERDATA_E2E_SMP || '1';
}

/** Builds the QEMU argument list for one boot (exported for messages and tests). */
export function qemuArgs(o: BootOptions, overlay: string, consoleLog: string, probeLog: string): string[] {
  const append = ['root=/dev/vda', 'rw', 'console=ttyS0', 'panic=-1', 'mitigations=off', ...(o.kernelArgs ?? [])].join(' ');
  return [
    '-accel', accel(),
    '-cpu', 'max',
    '-m', '2048',
    '-smp', guestCpus(),
    '-kernel', o.image.kernel,
    '-initrd', o.image.initrd,
    '-append', append,
    '-drive', `file=${overlay},if=virtio,format=qcow2`,
    '-drive', `file=${o.seedIso},media=cdrom,format=raw,readonly=on`,
    ...(o.extraIsos ?? []).flatMap((iso) => ['-drive', `file=${iso},media=cdrom,format=raw,readonly=on`]),
    ...(o.nicArgs ?? ['-nic', 'none']),
    '-no-reboot',
    '-display', 'none',
    '-monitor', 'none',
    '-serial', `file:${consoleLog}`,
    '-serial', `file:${probeLog}`,
  ];
}

/**
 * Boots once and waits for QEMU to exit. Rejects only when QEMU cannot be
 * started or the overlay cannot be made; a guest that hangs resolves with
 * timedOut: true after killing QEMU.
 */
export async function bootVm(o: BootOptions): Promise<BootResult> {
  mkdirSync(o.workDir, { recursive: true });
  const overlay = join(o.workDir, 'overlay.qcow2');
  const consoleLog = join(o.workDir, 'console.log');
  const probeLog = join(o.workDir, 'probe.log');
  const mk = spawnSync('qemu-img', ['create', '-q', '-f', 'qcow2', '-b', o.image.disk, '-F', 'qcow2', overlay], { encoding: 'utf8' });
  if (mk.status !== 0) throw new Error(`qemu-img create failed: ${mk.stderr}`);
  if (!existsSync(o.seedIso)) throw new Error(`seed ISO missing: ${o.seedIso}`);

  const args = qemuArgs(o, overlay, consoleLog, probeLog);
  const started = Date.now();
  return await new Promise<BootResult>((resolve, reject) => {
    // timeout(1) bounds QEMU even if this test process is killed before it can clean up.
    const limitS = Math.ceil(o.timeoutMs / 1000);
    const child = spawn('timeout', ['-s', 'KILL', String(limitS), 'qemu-system-x86_64', ...args], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    let timedOut = false;
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, o.timeoutMs + 10_000);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (code === 137) timedOut = true;
      if (code !== 0 && !timedOut && stderr) process.stderr.write(`qemu: ${stderr}\n`);
      resolve({
        exitCode: code,
        timedOut,
        elapsedMs: Date.now() - started,
        consoleLog,
        probeLog,
        command: ['qemu-system-x86_64', ...args],
      });
    });
  });
}

/** Returns the last `lines` lines of the guest console, for failure messages. */
export function consoleTail(result: BootResult, lines = 60): string {
  if (!existsSync(result.consoleLog)) return '(no console log)';
  // eslint-disable-next-line no-control-regex
  const text = readFileSync(result.consoleLog, 'utf8').replace(/\x1b\[[0-9;]*m/g, '');
  return text.split(/\r?\n/).slice(-lines).join('\n');
}

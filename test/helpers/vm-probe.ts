/**
 * Reads what the guest's probe (test/e2e/image/overlay/.../probe.sh) wrote to
 * the second serial port: named sections of base64 output with exit codes,
 * plus a tarball of the files the asserts look at, unpacked on the host.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ProbeSection {
  rc: number;
  out: Buffer;
}

export interface Probe {
  /** True when the probe's end line arrived (it did not die or get cut off). */
  complete: boolean;
  sections: Map<string, ProbeSection>;
}

/** Parses the probe log text. Never throws; a missing or partial log gives complete: false. */
export function parseProbe(text: string): Probe {
  const sections = new Map<string, ProbeSection>();
  const lines = text.split(/\r?\n/);
  let begun = false;
  let complete = false;
  let current: { name: string; rc: number; b64: string[] } | undefined;
  for (const raw of lines) {
    const line = raw.trim();
    if (line === '@@PROBE BEGIN 1') {
      begun = true;
      continue;
    }
    if (!begun) continue;
    let m: RegExpExecArray | null;
    if ((m = /^@@SECTION (\S+) (-?\d+)$/.exec(line))) {
      current = { name: m[1]!, rc: Number(m[2]), b64: [] };
    } else if ((m = /^@@END (\S+)$/.exec(line)) && current && current.name === m[1]) {
      sections.set(current.name, { rc: current.rc, out: Buffer.from(current.b64.join(''), 'base64') });
      current = undefined;
    } else if (line === '@@PROBE END') {
      complete = true;
    } else if (current) {
      current.b64.push(line);
    }
  }
  return { complete, sections };
}

/** Reads and parses a probe log file; a missing file gives an empty, incomplete probe. */
export function readProbe(path: string): Probe {
  return parseProbe(existsSync(path) ? readFileSync(path, 'latin1') : '');
}

/** Returns a section's output as text, or undefined when the probe has no such section. */
export function sectionText(p: Probe, name: string): string | undefined {
  return p.sections.get(name)?.out.toString('utf8');
}

/**
 * Unpacks one of the probe's tarballs ("files", the boot's state, or "ops-files",
 * the state after the operator actions) into dir (paths as in the guest, without
 * the leading slash) and returns dir. Throws when the section is missing or tar fails.
 */
export function unpackFiles(p: Probe, dir: string, section = 'files'): string {
  const s = p.sections.get(section);
  if (!s) throw new Error(`probe has no ${section} section`);
  mkdirSync(dir, { recursive: true });
  const tgz = join(dir, '..', `guest-${section}.tar.gz`);
  writeFileSync(tgz, s.out);
  const r = spawnSync('tar', ['-xzpf', tgz, '-C', dir, '--no-same-owner'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`tar failed: ${r.stderr}`);
  return dir;
}

/** One line of the probe's `find -printf '%m %u:%g %s %T@ %y %p'` listing. */
export interface GuestStat {
  mode: string;
  owner: string;
  size: number;
  mtime: number;
  type: string;
}

/** Parses the "stat" section into a map from guest path to its stat. */
export function parseStat(p: Probe): Map<string, GuestStat> {
  const out = new Map<string, GuestStat>();
  for (const line of (sectionText(p, 'stat') ?? '').split('\n')) {
    const m = /^(\d+) (\S+) (\d+) ([\d.]+) (\S) (\/.*)$/.exec(line);
    if (m) out.set(m[6]!, { mode: m[1]!.padStart(4, '0'), owner: m[2]!, size: Number(m[3]), mtime: Number(m[4]), type: m[5]! });
  }
  return out;
}

/** One call recorded by the kubeadm/kubelet/kubectl stand-ins (calls.jsonl). */
export interface StandinCall {
  tool: 'kubeadm' | 'kubelet' | 'kubectl' | 'crictl';
  argv: string[];
  start: number;
  end: number;
  rc: number | null;
  stdout?: string;
  stderr?: string;
  attempt?: number;
  /** The version the tool reported (its package's, for a stand-in installed from the test's apt repository). */
  version?: string;
  /** The operator action that caused the call (test/e2e/image/overlay/.../operator.sh), absent for the boot's own calls. */
  phase?: string;
  /** kubeadm upgrade apply: the version the cluster ran before. */
  cluster_version?: string;
  /** kubeadm join: the pin the stand-in computed over the cluster CA it was given (gen_userdata_e2e.cluster_ca). */
  discovery_pin?: string;
  notes?: string[];
  copies: Record<string, { path: string; copy: string }[]>;
}

/** Reads the stand-ins' call log from unpacked guest files; [] when there is none. */
export function readCalls(filesDir: string): StandinCall[] {
  const p = join(filesDir, 'var/log/gen-userdata-e2e/calls.jsonl');
  if (!existsSync(p)) return [];
  return readFileSync(p, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as StandinCall);
}

/** Reads a guest file from the unpacked tree (guest path, e.g. "/etc/hosts"); undefined when absent. */
export function guestFile(filesDir: string, guestPath: string): string | undefined {
  const p = join(filesDir, guestPath.replace(/^\/+/, ''));
  return existsSync(p) ? readFileSync(p, 'utf8') : undefined;
}

/** A step as seen in the bootstrap log. */
export interface StepOutcome {
  name: string;
  started: boolean;
  ok: boolean;
  failed: boolean;
  /** Epoch seconds of the step's start/end lines when the log has ISO timestamps. */
  startTime?: number;
  endTime?: number;
}

/**
 * Parses the bootstrap log's step lines ("==> step X", "<== step X ok",
 * "!!! step X failed"), in order of first appearance. Timestamps are read when
 * a line starts with an ISO 8601 UTC time.
 */
export function parseSteps(log: string): StepOutcome[] {
  const steps = new Map<string, StepOutcome>();
  for (const line of log.split('\n')) {
    const ts = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)\s/.exec(line);
    const time = ts ? Date.parse(ts[1]!) / 1000 : undefined;
    let m: RegExpExecArray | null;
    if ((m = /==> step (\S+)/.exec(line))) {
      const s = steps.get(m[1]!) ?? { name: m[1]!, started: false, ok: false, failed: false };
      s.started = true;
      if (time !== undefined) s.startTime = time;
      steps.set(m[1]!, s);
    } else if ((m = /<== step (\S+) ok/.exec(line))) {
      const s = steps.get(m[1]!);
      if (s) {
        s.ok = true;
        if (time !== undefined) s.endTime = time;
      }
    } else if ((m = /!!! step (\S+) failed/.exec(line))) {
      const s = steps.get(m[1]!);
      if (s) {
        s.failed = true;
        if (time !== undefined) s.endTime = time;
      }
    }
  }
  return [...steps.values()];
}

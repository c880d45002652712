import { existsSync, readFileSync } from 'node:fs';
import { isScalar, LineCounter, parseDocument } from 'yaml';
import type { Diagnostic } from '../diagnostics.js';

/** JSON pointer of the profile's Kubernetes version. */
export const VERSION_POINTER = '/cluster/kubernetesVersion';

/** Where cluster.kubernetesVersion is in a profile file, and its raw value. */
export interface ProfileVersion {
  file: string;
  version: string;
  line: number;
  col: number;
}

/**
 * Reads cluster.kubernetesVersion and its position without validating the rest
 * of the profile. Undefined when the file is missing, not YAML, or has no such
 * string value (the full profile loader then says what is wrong).
 */
export function readProfileVersion(file: string): ProfileVersion | undefined {
  if (!existsSync(file)) return undefined;
  const lineCounter = new LineCounter();
  const doc = parseDocument(readFileSync(file, 'utf8'), { lineCounter });
  if (doc.errors.length > 0) return undefined;
  const node = doc.getIn(['cluster', 'kubernetesVersion'], true);
  if (!isScalar(node) || typeof node.value !== 'string' || !node.range) return undefined;
  return { file, version: node.value, ...lineCounter.linePos(node.range[0]) };
}

/** A diagnostic about the Kubernetes version, placed at its line in the profile. */
export function versionDiagnostic(at: ProfileVersion, severity: Diagnostic['severity'], code: string, message: string): Diagnostic {
  return { severity, code, path: VERSION_POINTER, message, line: at.line, col: at.col, file: at.file };
}

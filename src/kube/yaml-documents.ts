import { Document } from 'yaml';

/**
 * Serializes objects as one multi-document YAML stream ("---" between documents,
 * newline-terminated). Key order is the objects' insertion order, so callers build
 * them in a fixed order and the output is byte-stable.
 *
 * The stream is written in YAML 1.1 mode so that strings a YAML 1.1 reader (PyYAML,
 * cloud-init, go-yaml) would take for booleans, octals or sexagesimals — "yes", "on",
 * "0644", "12:30" — come out quoted; YAML 1.2 readers read the same values. No
 * "%YAML" directive is emitted. Lines are never folded.
 */
export function toYamlDocuments(objects: readonly object[]): string {
  return objects
    .map((o) => new Document(o, { version: '1.1' }).toString({ lineWidth: 0 }))
    .join('---\n');
}

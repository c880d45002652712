import { isScalar, parseDocument, Scalar } from 'yaml';

/**
 * Returns the profile text with cluster.kubernetesVersion replaced by `version`,
 * every other byte untouched (comments, layout, quoting style). The yaml
 * document API finds the value's source range; only that range is rewritten.
 * Undefined when the text has no scalar cluster.kubernetesVersion (the profile
 * loader reports that case with its line).
 */
export function setKubernetesVersion(text: string, version: string): string | undefined {
  const doc = parseDocument(text, { keepSourceTokens: false });
  if (doc.errors.length > 0) return undefined;
  const node = doc.getIn(['cluster', 'kubernetesVersion'], true);
  if (!isScalar(node) || node.range === undefined || node.range === null) return undefined;
  const [start, valueEnd] = node.range;
  const quoted =
    node.type === Scalar.QUOTE_DOUBLE ? `"${version}"`
    : node.type === Scalar.QUOTE_SINGLE ? `'${version}'`
    : version;
  return `${text.slice(0, start)}${quoted}${text.slice(valueEnd)}`;
}

import { isScalar, visit, type Document } from 'yaml';

// PyYAML's implicit resolvers (resolver.py), which cloud-init's YAML 1.1 loader applies
// to plain scalars: a string matching one of them must be quoted or it loads as a
// bool, number, null, date or merge key.
const PYYAML_IMPLICIT = [
  /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/,
  /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/,
  /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/,
  /^(?:<<|=|~|null|Null|NULL|)$/,
  /^(?:[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)$/,
];

/**
 * Double-quotes every string scalar that PyYAML would resolve to another type, so the
 * document reads back with cloud-init's own loader exactly as written (the yaml
 * library's YAML 1.1 schema is close to PyYAML's, but not the same).
 */
export function quotePyyamlAmbiguous(doc: Document): Document {
  visit(doc, {
    Scalar(_key, node) {
      if (isScalar(node) && typeof node.value === 'string' && PYYAML_IMPLICIT.some((re) => re.test(node.value as string))) node.type = 'QUOTE_DOUBLE';
    },
  });
  return doc;
}

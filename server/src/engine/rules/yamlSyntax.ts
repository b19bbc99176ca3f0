// yaml-syntax: a document that does not parse (template markup is masked first, so what remains is
// real), or a file too large to parse. A document with a syntax error is not checked further.
import { defineRule } from './rule';
import { finding } from './context';

export const yamlSyntax = defineRule({
  code: 'yaml-syntax',
  severities: ['error', 'info'],
  summary: 'The file is not valid YAML: nothing else is checked in that document.',
  docs: `**error** — the file is not valid YAML; one clear diagnostic, nothing else is checked in that document
(**information** for a file over 4 MiB: it is not parsed, so not checked).
Lines end at \`\\r\\n\`, \`\\r\` or \`\\n\` (as YAML and LSP say; U+2028/U+2029 are ordinary characters).
Template markup is set aside before parsing, so an error that remains is real and is reported where it is:
clusterctl variables in all their forms — \`\${VAR}\`, \`\${ VAR }\`, with a default used when VAR is unset
(\`\${VAR:=d}\`, \`\${VAR=d}\`, \`\${VAR:-d}\`, \`\${VAR-d}\`, \`\${VAR:""}\`), a default spanning lines or holding
variables of its own (\`\${POD_CIDR:=[⏎ "10.0.0.0/8"]}\`, Harvester's \`\${UPDATE_CLOUD_PROVIDER:-key:⏎ …\${CLUSTER_NAME}…⏎ }\`);
\`$$\` is an escaped \`$\` — and Go/Helm \`{{ }}\`, Jinja \`{% %}\` and \`{# #}\`, also spanning a line break inside a
quoted scalar (\`enabledIf: '{{ if … }}true{{ end⏎ }}'\`). Each is replaced by a stand-in of the same length (positions
stay exact); a line holding only markup or only a variable (Metal3's \`\${CTLPLANE_KUBEADM_EXTRA_CONFIG}\`, several keys
once substituted) counts as blank. An alias to an anchor the document does not define (\`resourcePool: */Resources\`,
unquoted) is an error at the alias: kubectl rejects the file. A quoted value left open is reported at its opening quote,
not where the parser ran out of text (the document's end, often many lines below).
No finding is ever made on a templated value.`,
  check: ({ files }) =>
    files.flatMap((f) =>
      f.tooLarge !== undefined
        ? [
            finding(
              'yaml-syntax',
              'info',
              { uri: f.uri, span: { start: 0, end: 0 } },
              `File is larger than ${f.tooLarge / 1024 / 1024} MiB: not checked by capi-ipam.`,
            ),
          ]
        : f.syntaxErrors.map((e) => finding('yaml-syntax', 'error', { uri: f.uri, span: e.span }, `YAML syntax error: ${e.message}`)),
    ),
});

// render-failed: a chart or overlay the language server could not render; the clusters it renders
// are not checked, so this says why they are missing.
import { defineRule } from './rule';
import { finding } from './context';

export const renderFailed = defineRule({
  code: 'render-failed',
  severities: ['warning'],
  summary: 'A Helm chart or Kustomize overlay could not be rendered.',
  docs: `**warning** — a Helm chart or Kustomize overlay could not be rendered (the tool's message, at its \`Chart.yaml\` or
\`kustomization.yaml\`); the clusters it renders are not checked.`,
  check: ({ renderFailures }) =>
    renderFailures.map((f) =>
      finding(
        'render-failed',
        'warning',
        { uri: f.uri, span: { start: 0, end: 0 } },
        `${f.tool === 'helm' ? 'helm template' : 'kustomize build'} failed, so the clusters it renders are not checked: ${f.message}`,
      ),
    ),
});

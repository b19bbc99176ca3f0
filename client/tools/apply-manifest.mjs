// Writes the client-owned keys of package.json (contributes, activationEvents, capabilities, icon,
// galleryBanner) and leaves every other key exactly as it is: other engineers edit scripts/deps.
// Run: node client/tools/apply-manifest.mjs
import { readFileSync, writeFileSync } from 'node:fs';

const manifestPath = new URL('../../package.json', import.meta.url);
const category = 'CAPI IPAM';

const commands = [
  { command: 'capiIpam.selectContext', title: 'Select Kubeconfig Context…', icon: '$(server-environment)' },
  { command: 'capiIpam.refresh', title: 'Refresh', icon: '$(refresh)' },
  { command: 'capiIpam.allocate', title: 'Allocate VIP…', icon: '$(add)' },
  { command: 'capiIpam.release', title: 'Release VIP…', icon: '$(trash)' },
  { command: 'capiIpam.showOutput', title: 'Show Output', icon: '$(output)' },
  { command: 'capiIpam.copyAddress', title: 'Copy Address', icon: '$(copy)' },
  { command: 'capiIpam.openPoolYaml', title: 'Open Pool YAML', icon: '$(go-to-file)' },
  { command: 'capiIpam.revealLocation', title: 'Reveal in Editor', icon: '$(go-to-file)' },
].map((c) => ({ category, ...c }));

// Commands that only make sense with a tree item as argument stay out of the palette.
const argumentOnlyCommands = ['capiIpam.copyAddress', 'capiIpam.openPoolYaml', 'capiIpam.revealLocation'];

const views = ['capiIpam.pools', 'capiIpam.loadBalancers', 'capiIpam.kubeVipRanges'];
const viewIsOurs = `view =~ /^capiIpam\\./`;

const contributes = {
  viewsContainers: {
    activitybar: [{ id: 'capiIpam', title: 'CAPI IPAM', icon: 'resources/capi-ipam.svg' }],
  },
  views: {
    capiIpam: [
      { id: 'capiIpam.pools', name: 'Pools', contextualTitle: 'CAPI IPAM', icon: 'resources/capi-ipam.svg' },
      { id: 'capiIpam.loadBalancers', name: 'Load balancers', contextualTitle: 'CAPI IPAM', icon: 'resources/capi-ipam.svg' },
      { id: 'capiIpam.kubeVipRanges', name: 'kube-vip ranges', contextualTitle: 'CAPI IPAM', icon: 'resources/capi-ipam.svg' },
    ],
  },
  viewsWelcome: [
    {
      view: 'capiIpam.pools',
      contents:
        'This workspace is in Restricted Mode: CAPI IPAM only checks the YAML files and never reads a kubeconfig nor contacts a cluster.\n[Manage Workspace Trust](command:workbench.trust.manage)',
      when: '!isWorkspaceTrusted',
    },
    {
      view: 'capiIpam.pools',
      contents:
        'No management cluster is configured. Pools declared in the workspace (InClusterIPPool, GlobalInClusterIPPool) are used for offline checks.\n[Select Kubeconfig/Context](command:capiIpam.selectContext)\n[Use Offline Pools from the Workspace](command:capiIpam.useOffline)',
      when: 'isWorkspaceTrusted && capiIpam.state == offline',
    },
    {
      view: 'capiIpam.pools',
      contents:
        'The management cluster could not be read (see the status bar for the reason). Checks fall back to the pools declared in the workspace.\n[Select Kubeconfig/Context](command:capiIpam.selectContext)\n[Show Output](command:capiIpam.showOutput)',
      when: 'isWorkspaceTrusted && (capiIpam.state == unreachable || capiIpam.state == forbidden)',
    },
    {
      view: 'capiIpam.pools',
      contents: 'Loading pools from the management cluster…',
      when: 'isWorkspaceTrusted && capiIpam.state == connecting',
    },
    {
      view: 'capiIpam.loadBalancers',
      contents:
        'No LoadBalancer Services found. Services are read from the management cluster once one is selected.\n[Select Kubeconfig/Context](command:capiIpam.selectContext)',
      when: 'isWorkspaceTrusted && capiIpam.state != connected',
    },
    {
      view: 'capiIpam.loadBalancers',
      contents: 'Services are only read from a cluster in a trusted workspace.\n[Manage Workspace Trust](command:workbench.trust.manage)',
      when: '!isWorkspaceTrusted',
    },
    {
      view: 'capiIpam.kubeVipRanges',
      contents: 'No kube-vip cloud-provider ranges (ConfigMap `kubevip`) found in the workspace or the cluster.',
    },
  ],
  commands: [
    ...commands,
    { command: 'capiIpam.useOffline', title: 'Use Offline Pools from the Workspace', category },
  ],
  menus: {
    commandPalette: [
      ...argumentOnlyCommands.map((command) => ({ command, when: 'false' })),
      { command: 'capiIpam.selectContext', when: 'isWorkspaceTrusted' },
      { command: 'capiIpam.allocate', when: 'isWorkspaceTrusted && editorLangId == yaml' },
      { command: 'capiIpam.release', when: 'isWorkspaceTrusted && editorLangId == yaml && capiIpam.state == connected' },
    ],
    'view/title': [
      { command: 'capiIpam.refresh', when: viewIsOurs, group: 'navigation@1' },
      { command: 'capiIpam.selectContext', when: `${viewIsOurs} && isWorkspaceTrusted`, group: 'navigation@2' },
      { command: 'capiIpam.showOutput', when: viewIsOurs, group: 'z_more' },
    ],
    'view/item/context': [
      { command: 'capiIpam.copyAddress', when: 'view == capiIpam.pools && viewItem =~ /^capiIpam\\.(allocation|reserved|freeRange)/', group: 'inline@1' },
      { command: 'capiIpam.copyAddress', when: 'view == capiIpam.pools && viewItem =~ /^capiIpam\\.(allocation|reserved|freeRange)/', group: '1_copy@1' },
      { command: 'capiIpam.copyAddress', when: 'view == capiIpam.loadBalancers && viewItem =~ /^capiIpam\\.service\\.assigned/', group: '1_copy@1' },
      { command: 'capiIpam.revealLocation', when: `${viewIsOurs} && viewItem =~ /\\.located/`, group: '2_navigate@1' },
      { command: 'capiIpam.openPoolYaml', when: 'view == capiIpam.pools && viewItem =~ /^capiIpam\\.pool\\b/', group: 'inline@2' },
      { command: 'capiIpam.openPoolYaml', when: 'view == capiIpam.pools && viewItem =~ /^capiIpam\\.pool\\b/', group: '2_navigate@2' },
      { command: 'capiIpam.allocate', when: 'view == capiIpam.pools && viewItem =~ /^capiIpam\\.pool\\b/ && isWorkspaceTrusted && capiIpam.state == connected', group: '3_modify@1' },
      { command: 'capiIpam.release', when: 'view == capiIpam.pools && viewItem =~ /^capiIpam\\.allocation\\.releasable/ && isWorkspaceTrusted && capiIpam.state == connected', group: '3_modify@2' },
    ],
  },
  configuration: {
    title: 'CAPI IPAM',
    properties: {
      'capiIpam.kubeconfig': {
        type: 'string',
        default: '',
        scope: 'machine-overridable',
        order: 1,
        markdownDescription:
          'Path of the kubeconfig of the **management cluster**. Empty: `$KUBECONFIG`, then `~/.kube/config`. Ignored in Restricted Mode unless set in user settings (a kubeconfig can run `exec` credential plugins); a path from workspace settings is used only after you allow it once for the workspace.',
      },
      'capiIpam.context': {
        type: 'string',
        default: '',
        scope: 'window',
        order: 2,
        markdownDescription:
          'kubeconfig context of the management cluster. Empty: the kubeconfig\'s `current-context`. The kubeconfig file itself is never modified. See `#capiIpam.kubeconfig#`.',
      },
      'capiIpam.offline': {
        type: 'boolean',
        default: false,
        scope: 'window',
        order: 3,
        markdownDescription:
          'Never contact a cluster: check against the pools, addresses and kube-vip ranges declared in the workspace YAML files only.',
      },
      'capiIpam.defaultPool': {
        type: 'string',
        default: '',
        scope: 'resource',
        order: 4,
        markdownDescription:
          'Pool preselected by **Allocate VIP**, as `<name>` (GlobalInClusterIPPool) or `<namespace>/<name>` (InClusterIPPool).',
      },
      'capiIpam.include': {
        type: 'array',
        items: { type: 'string' },
        default: ['**/*.yaml', '**/*.yml'],
        scope: 'resource',
        order: 5,
        markdownDescription: 'Glob patterns (relative to the workspace folder) of the files scanned for clusters, pools and ranges.',
      },
      'capiIpam.exclude': {
        type: 'array',
        items: { type: 'string' },
        default: ['**/node_modules/**', '**/.git/**'],
        scope: 'resource',
        order: 6,
        markdownDescription: 'Glob patterns excluded from the scan, applied after `#capiIpam.include#`.',
      },
      'capiIpam.topologyVariables': {
        type: 'object',
        default: { vip: ['controlPlaneIpAddr'], kubeVipManifest: ['kubeVipPodManifest'] },
        properties: {
          vip: { type: 'array', items: { type: 'string' }, description: 'ClusterClass topology variables that hold the control-plane VIP.' },
          kubeVipManifest: { type: 'array', items: { type: 'string' }, description: 'ClusterClass topology variables that hold the kube-vip static pod manifest.' },
        },
        additionalProperties: false,
        scope: 'resource',
        order: 7,
        markdownDescription:
          'Names of the `Cluster.spec.topology.variables` that carry the VIP and the kube-vip manifest in ClusterClass-based clusters.',
      },
      'capiIpam.allocate.timeoutSeconds': {
        type: 'number',
        default: 60,
        minimum: 1,
        maximum: 600,
        scope: 'window',
        order: 8,
        markdownDescription: 'How long **Allocate** waits for the IPAM provider to create the `IPAddress` for a new `IPAddressClaim`.',
      },
      'capiIpam.allocate.writeClaim': {
        type: 'boolean',
        default: true,
        scope: 'resource',
        order: 9,
        markdownDescription:
          'After an allocation, also add the `IPAddressClaim` to the cluster\'s YAML so that GitOps keeps the address reserved.',
      },
      'capiIpam.trace.server': {
        type: 'string',
        enum: ['off', 'messages', 'verbose'],
        enumDescriptions: ['No tracing.', 'Trace message names.', 'Trace messages with their parameters.'],
        default: 'off',
        scope: 'window',
        order: 10,
        markdownDescription:
          'Traces the communication between VS Code and the CAPI IPAM language server in the **CAPI IPAM** output (set its log level to Trace).',
      },
    },
  },
  grammars: [
    {
      scopeName: 'capi-ipam.ip-injection',
      path: './syntaxes/ip-injection.tmLanguage.json',
      injectTo: ['source.yaml'],
    },
    {
      scopeName: 'capi-ipam.kube-vip-embedded',
      path: './syntaxes/kube-vip-embedded.tmLanguage.json',
      injectTo: ['source.yaml'],
      embeddedLanguages: { 'meta.embedded.block.yaml': 'yaml' },
    },
  ],
};

const capabilities = {
  untrustedWorkspaces: {
    supported: 'limited',
    description:
      'In Restricted Mode CAPI IPAM checks the YAML files offline and never reads a kubeconfig nor contacts a cluster (a kubeconfig can run credential plugins).',
    restrictedConfigurations: ['capiIpam.kubeconfig', 'capiIpam.context'],
  },
  virtualWorkspaces: {
    supported: 'limited',
    description: 'Offline checks only: in a virtual workspace no kubeconfig is read and no cluster is contacted.',
  },
};

const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
manifest.activationEvents = ['onLanguage:yaml', 'workspaceContains:**/*.{yaml,yml}'];
manifest.contributes = contributes;
manifest.capabilities = capabilities;
manifest.icon = 'resources/icon.png';
manifest.galleryBanner = { color: '#1f3a5f', theme: 'dark' };
writeFileSync(manifestPath, JSON.stringify(manifest, null, 2) + '\n');
console.log(`wrote contributes (${views.length} views, ${contributes.commands.length} commands) to package.json`);

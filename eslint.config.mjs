// ESLint 9 flat config: a few rules that catch real bugs the compiler lets through, nothing of style.
// The import rules of ARCHITECTURE.md are enforced by the tsconfig projects (tsconfig.json); the
// restrictions below add what a project reference cannot say (packages, and the client's view of the server).
import tseslint from 'typescript-eslint';

/** Packages of the editor, the LSP transport and the cluster client: never in the engine. */
const NOT_IN_ENGINE = [
  'vscode',
  'vscode-languageclient',
  'vscode-languageclient/*',
  'vscode-languageserver',
  'vscode-languageserver/*',
  'vscode-languageserver-textdocument',
  'vscode-jsonrpc',
  'vscode-jsonrpc/*',
  '@kubernetes/client-node',
];

export default tseslint.config(
  { ignores: ['dist/', 'cli/dist/', 'node_modules/', '.tsbuild/', '.cache/', '.vscode-test/', 'test/e2e/.out/', '**/.tmp/', 'examples/'] },
  {
    files: ['**/*.ts'],
    languageOptions: {
      parser: tseslint.parser,
      // Type information for no-floating-promises, from the tsconfig projects.
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: {
      // Dead code the compiler's noUnusedLocals misses (unused parameters before used ones are allowed: callbacks).
      '@typescript-eslint/no-unused-vars': ['error', { args: 'after-used', argsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
      // A promise nobody awaits loses its rejection: the server or a command fails silently. `void p` says "on purpose".
      // node:test's test() returns a promise the runner itself awaits.
      '@typescript-eslint/no-floating-promises': [
        'error',
        { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['test', 'it', 'describe', 'suite'] }] },
      ],
    },
  },
  {
    // Each `any` of the extension, the server and the tests' clients is marked where it is used
    // (eslint-disable-line): new ones must be too. The sandbox and the real stack handle arbitrary JSON.
    files: [
      'client/src/**/*.ts',
      'server/src/**/*.ts',
      'test/support/**/*.ts',
      'test/unit/**/*.ts',
      'test/lsp/**/*.ts',
      'test/cli/**/*.ts',
      'test/e2e/**/*.ts',
      'bench/**/*.ts',
    ],
    rules: { '@typescript-eslint/no-explicit-any': 'error' },
  },
  {
    files: ['server/src/engine/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [], patterns: [{ group: NOT_IN_ENGINE, message: 'The engine is pure: no editor, LSP or cluster code (ARCHITECTURE.md).' }] },
      ],
    },
  },
  {
    files: ['client/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [{ group: ['**/server/src/engine/**'], message: 'The client reaches engine types only through server/src/protocol.ts.' }],
        },
      ],
    },
  },
  // Outside the engine, the engine is reached only through engine/index.ts (ARCHITECTURE.md). A later block
  // replaces an earlier block's no-restricted-imports for the same files, so this one must not list client/src
  // (its rule above already forbids every engine path).
  {
    files: ['server/src/{lsp,cli,live,render}/**/*.ts', 'server/src/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ regex: '(^|/)engine/(?!index$).+', message: 'Import the engine through engine/index.ts.' }] }] },
  },
);

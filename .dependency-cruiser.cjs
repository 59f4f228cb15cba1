// Import rules of the house (docs/architecture.md), checked on every `npm test` by
// `npm run check:imports`. The browser side and the servers meet only in contracts/.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'components-not-server',
      comment: 'The page never imports the runner; shared shapes live in contracts/.',
      severity: 'error',
      from: { path: '^components/' },
      to: { path: '^(server|class|tools)/' },
    },
    {
      name: 'server-not-components',
      comment: 'The runner never imports page code.',
      severity: 'error',
      from: { path: '^(server|class)/' },
      to: { path: '^components/' },
    },
    {
      name: 'contracts-are-leaves',
      comment: 'contracts/ depends on zod alone: nothing of ours, no Node built-ins.',
      severity: 'error',
      from: { path: '^contracts/' },
      to: { pathNot: ['^contracts/', 'node_modules/zod/'] },
    },
    {
      name: 'content-is-data',
      comment: 'content/ holds data and texts; it may use contracts/, never the code that reads it.',
      severity: 'error',
      from: { path: '^content/' },
      to: { path: '^(server|class|components|tools)/' },
    },
    {
      name: 'tools-stay-out',
      comment: 'Developer tools (tools/) are never imported by the product.',
      severity: 'error',
      from: { path: '^(server|class|components|contracts|content)/' },
      to: { path: '^tools/' },
    },
    {
      name: 'runner-and-class-apart',
      comment: 'The class server and the reader\'s runner share contracts/ only.',
      severity: 'error',
      from: { path: '^class/' },
      to: { path: '^server/' },
    },
    {
      name: 'no-circular',
      comment: 'A cycle means two files are one concept, or a contract is missing.',
      severity: 'error',
      from: { pathNot: '^node_modules' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|\\.astro|node_modules|\\.ci)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
    extraExtensionsToScan: ['.astro'],
  },
};

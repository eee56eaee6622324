/** YAML data files are imported as parsed data (esbuild and vitest both load them with the yaml package at build time). */
declare module '*.yaml' {
  const data: unknown;
  export default data;
}

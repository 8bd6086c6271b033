// The unit tests' environment: Node, with modules transformed as for the browser, so that
// Svelte's client runtime runs them and effects run (`$effect.root` in a test); the server
// runtime that Node would get leaves effects out.
import type { Environment } from "vitest/environments";

export default {
  name: "node-client",
  viteEnvironment: "client",
  setup: () => ({ teardown: () => {} }),
} satisfies Environment;

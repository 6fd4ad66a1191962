import { defineConfig } from "vitest/config";

// Unit tests live beside the code (src/**/*.test.ts) or under test/unit; e2e, conformance and integration
// tests under test/. Integration tests talk to real services started by scripts/test-env.sh.
export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
  },
});

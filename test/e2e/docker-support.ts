// What the docker e2e files share: the engine facts, the record of what a test made (removed after each test
// and at the end of the file), and `kiln build` run against the test engine.
import { afterAll, afterEach, beforeAll } from "vitest";
import {
  buildEnv,
  type DockerE2eEnv,
  dockerE2eEnv,
  Made,
  printedImageId,
} from "../integration/docker/cli-support.js";
import { type KilnRun, kiln } from "./run-kiln.js";

export interface DockerE2e {
  /** The engine and base images (set before the first test). */
  readonly env: DockerE2eEnv;
  /** What the running test made, removed after it. */
  readonly made: Made;
}

/** Registers the hooks of a docker e2e file; read `env` and `made` inside tests, not at load. */
export function useDockerE2e(): DockerE2e {
  let env: DockerE2eEnv | undefined;
  let made: Made | undefined;
  beforeAll(async () => {
    env = await dockerE2eEnv();
    made = new Made(env.host);
  });
  afterEach(async () => made?.clean());
  afterAll(async () => made?.clean());
  return {
    get env() {
      if (env === undefined) throw new Error("useDockerE2e: the engine is read before beforeAll ran");
      return env;
    },
    get made() {
      if (made === undefined) throw new Error("useDockerE2e: `made` is read before beforeAll ran");
      return made;
    },
  };
}

/** `kiln build` in `dir` against the test engine; the committed image (if any) is removed after the test. */
export function kilnDockerBuild(ctx: DockerE2e, dir: string, args: readonly string[] = ["."]): KilnRun {
  const r = kiln(["build", "-color=false", ...args], {
    cwd: dir,
    env: buildEnv(ctx.env, dir),
    timeoutMs: 120_000,
  });
  ctx.made.image(printedImageId(r.stdout));
  return r;
}

import { describe, expect, it } from "vitest";
import {
  BasicUi,
  type CoreBuild,
  type CorePostProcessor,
  Redactor,
  runBuild,
} from "../../../src/core/index.js";
import { noopLogger } from "../../../src/sdk/index.js";
import { Capture, EchoProvisioner, type Journal, TestBuilder, TestPostProcessor } from "./support.js";

function pp(
  label: string,
  journal: Journal,
  o: { keep: boolean; force?: boolean; user?: boolean; fail?: string; nothing?: boolean },
): CorePostProcessor {
  return {
    type: `pp-${label}`,
    name: `pp-${label}`,
    postProcessor: new TestPostProcessor({
      label,
      journal,
      keep: o.keep,
      forceOverride: o.force ?? false,
      ...(o.fail !== undefined ? { fail: o.fail } : {}),
      ...(o.nothing ? { nothing: true } : {}),
    }),
    ...(o.user !== undefined ? { keepInputArtifact: o.user } : {}),
  };
}

async function run(chains: CorePostProcessor[][], journal: Journal, signal = new AbortController().signal) {
  const stdout = new Capture();
  const builder = new TestBuilder({ journal });
  const build: CoreBuild = {
    name: "null.one",
    type: "null",
    builder,
    provisioners: [],
    postProcessors: chains,
  };
  const ui = new BasicUi({ stdout, redactor: new Redactor(), log: noopLogger });
  const outcome = await runBuild(build, ui, {
    debug: false,
    onError: "",
    signal,
    log: noopLogger,
    secrets: new Redactor(),
  });
  return { outcome, ids: outcome.artifacts?.map((a) => a.id()), stdout, builder };
}

describe("post-processor chains and keep_input_artifact (§8.5)", () => {
  it("no post-processors: the builder's artifact is kept", async () => {
    const j: Journal = [];
    const r = await run([], j);
    expect(r.ids).toEqual(["Null"]);
    expect(r.builder.destroyed).toBe(0);
  });

  it("a post-processor that does not keep its input: the builder's artifact is destroyed", async () => {
    const j: Journal = [];
    const r = await run([[pp("a", j, { keep: false })]], j);
    expect(r.ids).toEqual(["a"]);
    expect(j).toContain("builder-artifact:destroy");
  });

  it("a keeping first post-processor keeps the builder's artifact, listed first", async () => {
    const j: Journal = [];
    const r = await run([[pp("a", j, { keep: true })]], j);
    expect(r.ids).toEqual(["Null", "a"]);
    expect(r.builder.destroyed).toBe(0);
  });

  it("keep_input_artifact = true overrides a post-processor's default", async () => {
    const j: Journal = [];
    const r = await run([[pp("a", j, { keep: false, user: true })]], j);
    expect(r.ids).toEqual(["Null", "a"]);
  });

  it("keep_input_artifact = false is ignored when the post-processor forces keeping", async () => {
    const j: Journal = [];
    const r = await run([[pp("a", j, { keep: true, force: true, user: false })]], j);
    expect(r.ids).toEqual(["Null", "a"]);
  });

  it("keep_input_artifact = false wins when not forced", async () => {
    const j: Journal = [];
    const r = await run([[pp("a", j, { keep: true, force: false, user: false })]], j);
    expect(r.ids).toEqual(["a"]);
    expect(r.builder.destroyed).toBe(1);
  });

  it("later post-processors: kept intermediates are reported, others destroyed", async () => {
    const j: Journal = [];
    const kept = await run(
      [[pp("a", j, { keep: false }), pp("b", j, { keep: true }), pp("c", j, { keep: false })]],
      j,
    );
    expect(kept.ids).toEqual(["a", "c"]);
    expect(j).toEqual([
      "connect:run",
      "connect:cleanup",
      "pp:a(Null)",
      "pp:b(a)",
      "pp:c(b)",
      "destroy:b",
      "builder-artifact:destroy",
    ]);
  });

  it("the builder's artifact is destroyed only after all chains, and kept if any first post-processor keeps it", async () => {
    const j: Journal = [];
    const r = await run([[pp("a", j, { keep: false })], [pp("b", j, { keep: true })]], j);
    expect(r.ids).toEqual(["Null", "a", "b"]);
    expect(j).not.toContain("builder-artifact:destroy");
  });

  it("a failing post-processor ends its chain (nothing appended); other chains go on; the build fails", async () => {
    const j: Journal = [];
    const r = await run(
      [
        [
          pp("a", j, { keep: true }),
          pp("b", j, { keep: false, fail: "exit 2" }),
          pp("c", j, { keep: false }),
        ],
        [pp("d", j, { keep: false })],
      ],
      j,
    );
    expect(r.ids).toEqual(["Null", "d"]);
    expect((r.outcome.error as Error).message).toBe(
      "1 error(s) occurred:\n\n* Post-processor failed: exit 2",
    );
    expect(j).not.toContain("pp:c(b)");
    expect(j).not.toContain("destroy:a");
  });

  it("a post-processor returning no artifact halts its chain silently", async () => {
    const j: Journal = [];
    const r = await run([[pp("a", j, { keep: false, nothing: true }), pp("b", j, { keep: false })]], j);
    expect(r.ids).toEqual([]);
    expect(r.outcome.error).toBeUndefined();
    expect(j).toContain("builder-artifact:destroy");
  });

  it("says which post-processor runs, by name and type", async () => {
    const j: Journal = [];
    const named: CorePostProcessor = { ...pp("a", j, { keep: true }), name: "mine" };
    const unnamed: CorePostProcessor = { ...pp("b", j, { keep: true }), name: "" };
    const r = await run([[pp("c", j, { keep: true })], [named], [unnamed]], j);
    expect(r.stdout.lines()).toEqual([
      "==> null.one: Running post-processor: pp-c",
      "==> null.one: Running post-processor: mine (type pp-a)",
      "==> null.one: Running post-processor:  (type pp-b)",
    ]);
  });

  it("skips post-processors when the build was cancelled", async () => {
    const j: Journal = [];
    const controller = new AbortController();
    const builder = new TestBuilder({ journal: j });
    const original = builder.run.bind(builder);
    builder.run = async (...args) => {
      const a = await original(...args);
      controller.abort();
      return a;
    };
    const build: CoreBuild = {
      name: "null.one",
      type: "null",
      builder,
      provisioners: [],
      postProcessors: [[pp("a", j, { keep: false })]],
    };
    const ui = new BasicUi({ stdout: new Capture(), redactor: new Redactor(), log: noopLogger });
    const outcome = await runBuild(build, ui, {
      debug: false,
      onError: "",
      signal: controller.signal,
      log: noopLogger,
      secrets: new Redactor(),
    });
    expect(outcome).toEqual({ artifacts: undefined });
    expect(j).not.toContain("pp:a(Null)");
  });

  it("gives provisioners the generated data and post-processors the artifact's generated_data", async () => {
    const p = new EchoProvisioner();
    let seen: unknown;
    const build: CoreBuild = {
      name: "null.one",
      type: "null",
      builder: new TestBuilder(),
      provisioners: [{ type: "shell-local", provisioner: p }],
      postProcessors: [
        [
          {
            type: "probe",
            name: "probe",
            postProcessor: {
              configSpec: () => ({}),
              configure: () => ({ diagnostics: [] }),
              async postProcess(_ui, artifact) {
                seen = artifact.state("generated_data");
                return { artifact, keep: true, forceOverride: true };
              },
            },
          },
        ],
      ],
    };
    const ui = new BasicUi({ stdout: new Capture(), redactor: new Redactor(), log: noopLogger });
    await runBuild(build, ui, {
      debug: false,
      onError: "",
      signal: new AbortController().signal,
      log: noopLogger,
      secrets: new Redactor(),
    });
    expect(p.lastData).toEqual({
      ID: "Null",
      PackerRunUUID: "run-uuid",
      PackerHTTPIP: "ERR_HTTP_IP_NOT_IMPLEMENTED_BY_BUILDER",
      PackerHTTPPort: "ERR_HTTP_PORT_NOT_IMPLEMENTED_BY_BUILDER",
      PackerHTTPAddr: "ERR_HTTP_ADDR_NOT_IMPLEMENTED_BY_BUILDER",
    });
    expect(seen).toEqual(p.lastData);
  });

  it("runs the error-cleanup-provisioner when provisioning failed", async () => {
    const j: Journal = [];
    const cleanup = new EchoProvisioner({ journal: j, label: "cleanup", lines: ["cleaning up"] });
    const build: CoreBuild = {
      name: "null",
      type: "null",
      builder: new TestBuilder({ journal: j }),
      provisioners: [
        {
          type: "shell-local",
          provisioner: new EchoProvisioner({
            journal: j,
            label: "main",
            failTimes: 1,
            failMessages: ["bad"],
          }),
        },
      ],
      cleanupProvisioner: { type: "shell-local", provisioner: cleanup },
      postProcessors: [],
    };
    const stdout = new Capture();
    const ui = new BasicUi({ stdout, redactor: new Redactor(), log: noopLogger });
    const outcome = await runBuild(build, ui, {
      debug: false,
      onError: "",
      signal: new AbortController().signal,
      log: noopLogger,
      secrets: new Redactor(),
    });
    expect((outcome.error as Error).message).toBe("bad");
    expect(j).toEqual(["connect:run", "provision:main", "provision:cleanup", "connect:cleanup"]);
    expect(stdout.lines()).toEqual([
      "==> null: Provisioning step had errors: Running the cleanup provisioner, if present...",
      "    null: cleaning up",
    ]);
  });

  it("reports a failing cleanup provisioner together with the original error", async () => {
    const build: CoreBuild = {
      name: "null",
      type: "null",
      builder: new TestBuilder(),
      provisioners: [
        { type: "x", provisioner: new EchoProvisioner({ failTimes: 1, failMessages: ["orig"] }) },
      ],
      cleanupProvisioner: {
        type: "x",
        provisioner: new EchoProvisioner({ failTimes: 1, failMessages: ["also"] }),
      },
      postProcessors: [],
    };
    const ui = new BasicUi({ stdout: new Capture(), redactor: new Redactor(), log: noopLogger });
    const outcome = await runBuild(build, ui, {
      debug: false,
      onError: "",
      signal: new AbortController().signal,
      log: noopLogger,
      secrets: new Redactor(),
    });
    expect((outcome.error as Error).message).toBe("Cleanup failed: also. Original Provisioning error: orig");
  });
});

/**
 * The `qemu` builder (packer-plugin-qemu): makes a VM disk image with QEMU, from an installer ISO (booted with
 * a boot command typed over VNC) or from an existing disk image (disk_image), provisions it over the
 * communicator and shuts it down. Steps, in Packer's order: StepDownload (or stepSetISO), stepPrepareOutputDir,
 * stepCreatevTPM, StepCreateFloppy, StepCreateCD, stepCreateDisk, stepCopyDisk, stepResizeDisk,
 * stepHTTPIPDiscover, StepHTTPServer, stepPortForward, StepSSHKeyGen (ssh), stepConfigureVNC,
 * stepPrepareEfivars, stepRun, stepConfigureQMP, stepTypeBootCommand, stepWaitGuestAddress, StepConnect,
 * StepProvision, StepCleanupTempKeys, stepShutdown, stepConvertDisk.
 *
 * After a failure or cancellation the VM is stopped (and waited for) and the output directory deleted, so
 * nothing is left running or half written.
 */
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { StepCleanupTempKeys, StepConnect, StepSshKeyGen } from "../../../communicator/index.js";
import type { Value } from "../../../hcl/index.js";
import {
  type Artifact,
  type Builder,
  type BuilderPrepareResult,
  type BuilderRunContext,
  type BuildInfo,
  type ConfigSpec,
  ErrorCode,
  type Hook,
  isCancellation,
  KilnError,
  type Step,
  StepProvision,
  type Ui,
} from "../../../sdk/index.js";
import { notPrepared } from "../../provisioner/shell-local/plugin-config.js";
import { qemuArtifact } from "./artifact.js";
import { decodeQemuConfig, type QemuConfig, qemuConfigSpec, resolvePath } from "./config.js";
import { lookPath, QemuDriver } from "./driver.js";
import { packerCacheDir } from "./port-range.js";
import { waitForSshBanner } from "./ssh-banner.js";
import type { QemuState } from "./state.js";
import { StepTypeBootCommand, StepWaitGuestAddress } from "./step-boot.js";
import { StepConnectWhileRunning } from "./step-connect.js";
import { StepCreateCD } from "./step-create-cd.js";
import { StepCreateFloppy } from "./step-create-floppy.js";
import { StepConvertDisk, StepCopyDisk, StepCreateDisk, StepResizeDisk } from "./step-disk.js";
import { StepDownload, StepSetIso } from "./step-download.js";
import { StepConfigureVnc, StepHttpIpDiscover, StepHttpServer, StepPortForward } from "./step-network.js";
import { StepPrepareOutputDir } from "./step-output-dir.js";
import { StepConfigureQmp, StepCreateVtpm, StepPrepareEfivars, StepRun } from "./step-run.js";
import { StepShutdown } from "./step-shutdown.js";

export interface QemuBuilderOptions {
  /** Chooses the accelerator when none is configured; default: probe this host. */
  readonly detectAccelerator?: () => { accelerator: string; reason: string };
  /** Pause between SSH connection attempts; default 1 s (attempts are local and cheap). */
  readonly sshRetryDelayMs?: number;
}

/** The communicator's host: ssh_host, the guest's bridge address, or the loopback forward (Packer's commHost). */
function commHost(state: QemuState): string {
  const host = state.config.comm.type === "winrm" ? state.config.comm.winrm.host : state.config.comm.ssh.host;
  if (host !== "") return host;
  return state.guestAddress ?? "127.0.0.1";
}

/** Files under `dir`, in lexical walk order, as `<shown>/<relative path>`. */
async function walkFiles(dir: string, shown: string, skip: (name: string) => boolean): Promise<string[]> {
  const out: string[] = [];
  const visit = async (abs: string, rel: string): Promise<void> => {
    const entries = await readdir(abs, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const childRel = rel === "" ? e.name : `${rel}/${e.name}`;
      if (e.isDirectory()) await visit(join(abs, e.name), childRel);
      else if (!skip(e.name)) out.push(join(shown, childRel));
    }
  };
  await visit(dir, "");
  return out;
}

export class QemuBuilder implements Builder {
  private config: QemuConfig | undefined;
  private info: BuildInfo | undefined;

  constructor(private readonly options: QemuBuilderOptions = {}) {}

  configSpec(): ConfigSpec {
    return qemuConfigSpec();
  }

  prepare(config: Value, info: BuildInfo): BuilderPrepareResult {
    const decoded = decodeQemuConfig(config, info, {
      ...(this.options.detectAccelerator !== undefined
        ? { detectAccelerator: this.options.detectAccelerator }
        : {}),
    });
    this.info = info;
    this.config = decoded.config;
    return { diagnostics: decoded.diagnostics, generatedDataKeys: [] };
  }

  async run(
    ui: Ui,
    hook: Hook,
    signal: AbortSignal,
    context: BuilderRunContext,
  ): Promise<Artifact | undefined> {
    const config = this.config;
    const info = this.info;
    if (config === undefined || info === undefined) throw notPrepared("qemu builder");
    const log = context.log;

    const qemuPath = lookPath(config.qemuBinary, info.env);
    const qemuImgPath = lookPath("qemu-img", info.env);
    if (qemuPath === undefined || qemuImgPath === undefined) {
      const missing = qemuPath === undefined ? config.qemuBinary : "qemu-img";
      throw new KilnError(
        ErrorCode.Builder,
        `Failed creating Qemu driver: exec: "${missing}": executable file not found in $PATH`,
        { hint: "Install QEMU (Debian: apt-get install qemu-system-x86 qemu-utils) or set qemu_binary." },
      );
    }
    log.log(`Qemu path: ${qemuPath}, Qemu Image path: ${qemuImgPath}`);
    const driver = new QemuDriver({ qemuPath, qemuImgPath, env: info.env, cwd: info.cwd, log });
    const workDir = await mkdtemp(join(info.env.TMPDIR || tmpdir(), "kiln-qemu-"));
    const state: QemuState = {
      config,
      info,
      log,
      secrets: context.secrets,
      driver,
      cacheDir: packerCacheDir(info.env, info.cwd),
      workDir,
      hook,
      ui,
      runUuid: info.runUuid,
    };

    let connectDeadline: number | undefined;
    let connectSignal = signal;
    const steps: Step<QemuState>[] = [
      config.isoSkipCache ? new StepSetIso() : new StepDownload({ description: "ISO" }),
      new StepPrepareOutputDir(),
      new StepCreateVtpm(),
      new StepCreateFloppy(),
      new StepCreateCD(),
      new StepCreateDisk(),
      new StepCopyDisk(),
      new StepResizeDisk(),
      new StepHttpIpDiscover(),
      new StepHttpServer(),
      new StepPortForward(),
    ];
    if (config.comm.type === "ssh")
      steps.push(new StepSshKeyGen<QemuState>({ config: config.comm, cwd: info.cwd, env: info.env }));
    steps.push(
      new StepConfigureVnc(),
      new StepPrepareEfivars(),
      new StepRun(),
      new StepConfigureQmp(),
      new StepTypeBootCommand(),
      new StepWaitGuestAddress(),
      new StepConnectWhileRunning(
        new StepConnect<QemuState>({
          config: config.comm,
          cwd: info.cwd,
          env: info.env,
          host: (s) => commHost(s),
          port: async (s) => {
            const port = s.commHostPort ?? 22;
            const ssh = config.comm.ssh;
            // Probe for the banner first (see ssh-banner.ts) unless the connection goes through a jump host.
            if (config.comm.type === "ssh" && ssh.bastion === undefined && ssh.proxy === undefined) {
              connectDeadline ??=
                Date.now() + (ssh.timeout.milliseconds > 0 ? ssh.timeout.milliseconds : 3_600_000);
              const seen = await waitForSshBanner(commHost(s), port, connectDeadline, connectSignal, {
                ...(s.netProbePort !== undefined && commHost(s) === "127.0.0.1"
                  ? { netProbePort: s.netProbePort }
                  : {}),
                log: (m) => log.log(m),
              });
              log.log(
                seen ? `SSH banner seen on ${commHost(s)}:${port}` : "No SSH banner before the timeout",
              );
            }
            return port;
          },
          log,
          retryDelayMs: this.options.sshRetryDelayMs ?? 1000,
        }),
        (s) => {
          connectSignal = s;
        },
      ),
      new StepProvision<QemuState>({ log }),
      new StepCleanupTempKeys<QemuState>({ config: config.comm, log }),
      new StepShutdown(),
      new StepConvertDisk(),
    );

    try {
      await context.runner.run(steps, state, ui, signal);
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }

    if (state.cancelled && (state.error === undefined || isCancellation(state.error))) {
      throw new KilnError(ErrorCode.Cancelled, "Build was cancelled.");
    }
    if (state.error !== undefined) throw state.error;
    if (state.cancelled) throw new KilnError(ErrorCode.Cancelled, "Build was cancelled.");
    if (state.halted) throw new KilnError(ErrorCode.Builder, "Build was halted.");

    const absoluteDir = resolvePath(config.outputDir, info.cwd);
    const files = await walkFiles(
      absoluteDir,
      config.outputDir,
      (name) => config.efiDropEfivars && name === "efivars.fd",
    );
    const diskPaths = (state.diskPaths ?? []).map((p) =>
      join(config.outputDir, p.slice(absoluteDir.length + 1)),
    );
    return qemuArtifact({
      dir: config.outputDir,
      absoluteDir,
      files,
      state: {
        generated_data: { ...(state.generatedData ?? {}) },
        diskName: config.vmName,
        diskPaths,
        diskType: config.format,
        diskSize: config.diskSize,
        domainType: config.accelerator,
      },
    });
  }
}

// `kiln build` of HCL2 templates with the docker builder on the real engine (node bin/kiln.js; build dist
// first): commit with changes, discard, export_path, volumes, exec_user, the shell and file provisioners.
// Results are checked with the docker CLI (`docker image inspect`, containers run from the built image), and
// every build must leave no container, no temp dir and nothing of kiln's in the image.

import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  containerExists,
  docker,
  inspectImage,
  leftoverTempDirs,
  printedContainerId,
  printedImageId,
  readTar,
  runInImage,
  templateDir,
  topLayerEntries,
} from "../integration/docker/cli-support.js";
import { kilnDockerBuild, useDockerE2e } from "./docker-support.js";

const ctx = useDockerE2e();

/** `kiln build` in `dir`; the committed image (if any) is removed after the test. */
function build(dir: string, args: readonly string[] = ["."]) {
  return kilnDockerBuild(ctx, dir, args);
}

/** What every docker build must leave behind: no container, no temp dir. */
function expectCleanedUp(dir: string, stdout: string): void {
  const id = printedContainerId(stdout);
  expect(stdout).toContain(`==> docker.app: Killing the container: ${id}\n`);
  expect(containerExists(ctx.env.host, id)).toBe(false);
  expect(leftoverTempDirs(dir)).toEqual([]);
}

/** Lists what of kiln's could be left in an image: the shared dir, uploaded scripts, staged uploads. */
const TRACES_SCRIPT =
  "ls -d /packer-files /dev/kiln-files /tmp/script_*.sh /tmp/packer-shell* /tmp/upload* /tmp/varfile_* 2>/dev/null; true";

describe("docker build: commit", () => {
  it("provisions with shell and file, commits with every kind of change, and leaves no traces", async () => {
    const dir = ctx.made.dir(
      templateDir("commit", {
        "app.pkr.hcl": `variable "image" {
  type = string
}

source "docker" "app" {
  image   = var.image
  pull    = false
  commit  = true
  author  = "kiln e2e <e2e@example.com>"
  message = "built by the kiln e2e test"
  changes = [
    "ENV GREETING=hello APP_HOME=/srv/app",
    "WORKDIR /srv/app",
    "ENTRYPOINT [\\"/bin/sh\\", \\"-c\\"]",
    "CMD [\\"cat /srv/app/greeting.txt; id -un\\"]",
    "LABEL org.example.built-by=kiln org.example.stage=e2e",
    "EXPOSE 8080/tcp 9090/udp",
    "USER nobody",
  ]
}

build {
  sources = ["source.docker.app"]

  provisioner "shell" {
    environment_vars = ["GREETING=hello from kiln"]
    inline = [
      "mkdir -p /srv/app",
      "echo \\"$GREETING\\" > /srv/app/greeting.txt",
      "echo provisioned as $(id -un) in $PACKER_BUILDER_TYPE/$PACKER_BUILD_NAME",
    ]
  }

  provisioner "file" {
    source      = "files/config.ini"
    destination = "/srv/app/config.ini"
  }

  provisioner "file" {
    source      = "files/tree/"
    destination = "/srv/app/tree"
  }

  provisioner "file" {
    content     = "inline content\\n"
    destination = "/srv/app/inline.txt"
  }

  provisioner "shell" {
    script = "scripts/check.sh"
  }
}
`,
        "files/config.ini": "[app]\nname=demo\n",
        "files/tree/a.txt": "a\n",
        "files/tree/sub/b.txt": "b\n",
        "scripts/check.sh":
          '#!/bin/sh\nset -e\necho "check: $(wc -l < /srv/app/config.ini) lines, $(ls /srv/app/tree | tr "\\n" " ")"\n',
      }),
    );
    const r = build(dir, ["-var", `image=${ctx.env.busybox}`, "."]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("    docker.app: provisioned as root in docker/app\n");
    expect(r.stdout).toContain("==> docker.app: Uploading files/config.ini => /srv/app/config.ini\n");
    expect(r.stdout).toContain("==> docker.app: Uploading files/tree/ => /srv/app/tree\n");
    expect(r.stdout).toContain("==> docker.app: Provisioning with shell script: scripts/check.sh\n");
    // Output lines lose their trailing white space, as in Packer.
    expect(r.stdout).toContain("    docker.app: check: 2 lines, a.txt sub\n");
    expect(r.stdout).toContain("==> docker.app: Committing the container\n");
    const id = printedImageId(r.stdout);
    expect(id).toBeDefined();
    expect(r.stdout).toContain(`--> docker.app: Imported Docker image: ${id}\n`);
    expectCleanedUp(dir, r.stdout);

    const image = inspectImage(ctx.env.host, id!);
    expect(image.Author).toBe("kiln e2e <e2e@example.com>");
    expect(image.Comment).toBe("built by the kiln e2e test");
    expect(image.Config.Env).toEqual(expect.arrayContaining(["GREETING=hello", "APP_HOME=/srv/app"]));
    expect(image.Config.WorkingDir).toBe("/srv/app");
    expect(image.Config.Entrypoint).toEqual(["/bin/sh", "-c"]);
    expect(image.Config.Cmd).toEqual(["cat /srv/app/greeting.txt; id -un"]);
    expect(image.Config.Labels).toMatchObject({ "org.example.built-by": "kiln", "org.example.stage": "e2e" });
    expect(Object.keys(image.Config.ExposedPorts ?? {}).sort()).toEqual(["8080/tcp", "9090/udp"]);
    expect(image.Config.User).toBe("nobody");

    // The image runs with its new ENTRYPOINT, CMD and USER.
    const ran = runImage(id!);
    expect(ran).toBe("hello from kiln\nnobody\n");

    // What the provisioners put there, and nothing of kiln's.
    expect(
      runInImage(
        ctx.env.host,
        id!,
        "cat /srv/app/config.ini /srv/app/tree/a.txt /srv/app/tree/sub/b.txt /srv/app/inline.txt",
      ),
    ).toBe("[app]\nname=demo\na\nb\ninline content\n");
    expect(runInImage(ctx.env.host, id!, TRACES_SCRIPT)).toBe("");
    // The committed layer holds what the provisioners made, and nothing else of the build (no mount point,
    // no script, not even under /dev, which a running container would hide).
    const layer = await topLayerEntries(ctx.env.host, id!);
    expect(layer).toEqual(expect.arrayContaining(["srv/app/greeting.txt", "srv/app/tree/sub/b.txt"]));
    expect(layer.filter((n) => !n.startsWith("srv"))).toEqual(["tmp"]);
  });

  it("keeps the source image's CMD and ENTRYPOINT when changes do not set them", () => {
    const dir = ctx.made.dir(
      templateDir("defaults", {
        "app.pkr.hcl": `source "docker" "app" {
  image   = "${ctx.env.busybox}"
  pull    = false
  commit  = true
  changes = ["LABEL only=label"]
}

build {
  sources = ["source.docker.app"]

  provisioner "shell" {
    inline = ["touch /built"]
  }
}
`,
      }),
    );
    const r = build(dir);
    expect(r.code).toBe(0);
    const source = inspectImage(ctx.env.host, ctx.env.busybox);
    const image = inspectImage(ctx.env.host, printedImageId(r.stdout)!);
    // Packer's StepSetDefaults: the source image's CMD, and its ENTRYPOINT (none: `[""]`), not the run
    // command's /bin/sh.
    expect(source.Config.Cmd).toEqual(["/bin/sh"]);
    expect(image.Config.Cmd).toEqual(["/bin/sh"]);
    expect(source.Config.Entrypoint).toBeNull();
    expect(image.Config.Entrypoint).toEqual([""]);
    expect(image.Config.Labels).toMatchObject({ only: "label" });
    expect(runInImage(ctx.env.host, image.Id, "ls /built")).toBe("/built\n");
    expectCleanedUp(dir, r.stdout);
  });
});

/** `docker run --rm` of an image with its own entrypoint, command and user. */
function runImage(ref: string): string {
  return docker(ctx.env.host, ["run", "--rm", "--network", "none", ref]).stdout;
}

describe("docker build: discard and export_path", () => {
  it("discard: provisions, then removes the container without committing", () => {
    const dir = ctx.made.dir(
      templateDir("discard", {
        "app.pkr.hcl": `source "docker" "app" {
  image   = "${ctx.env.busybox}"
  pull    = false
  discard = true
}

build {
  sources = ["source.docker.app"]

  provisioner "shell" {
    inline = ["echo discarded build ran"]
  }
}
`,
      }),
    );
    const r = build(dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("    docker.app: discarded build ran\n");
    expect(r.stdout).not.toContain("Committing the container");
    expect(r.stdout).not.toContain("Exporting the container");
    expect(printedImageId(r.stdout)).toBeUndefined();
    expect(r.stdout).toContain("==> Builds finished. The artifacts of successful builds are:\n");
    expectCleanedUp(dir, r.stdout);
  });

  it("export_path: writes the provisioned filesystem as a tar, without kiln's traces", async () => {
    const dir = ctx.made.dir(
      templateDir("export", {
        "app.pkr.hcl": `source "docker" "app" {
  image       = "${ctx.env.busybox}"
  pull        = false
  export_path = "out/rootfs.tar"
}

build {
  sources = ["source.docker.app"]

  provisioner "shell" {
    inline = ["mkdir -p /opt/exported", "echo exported by kiln > /opt/exported/marker.txt"]
  }

  provisioner "file" {
    content     = "uploaded\\n"
    destination = "/opt/exported/uploaded.txt"
  }
}
`,
      }),
    );
    const r = build(dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("==> docker.app: Exporting the container\n");
    expect(r.stdout).toContain(`--> docker.app: Exported Docker file: out/rootfs.tar\n`);
    expectCleanedUp(dir, r.stdout);
    const path = join(dir, "out", "rootfs.tar");
    expect(existsSync(path)).toBe(true);
    const entries = await readTar(readFileSync(path));
    expect(entries.get("opt/exported/marker.txt")?.toString()).toBe("exported by kiln\n");
    expect(entries.get("opt/exported/uploaded.txt")?.toString()).toBe("uploaded\n");
    expect(entries.has("bin/busybox")).toBe(true);
    expect([...entries.keys()].filter((n) => /^(packer-files|tmp\/script_|dev\/kiln)/.test(n))).toEqual([]);
  });
});

describe("docker build: container options", () => {
  it("volumes: the build sees and writes the host directory", () => {
    const dir = ctx.made.dir(templateDir("volumes", { "host/in.txt": "from the host\n" }));
    const host = join(dir, "host");
    writeFileSync(
      join(dir, "app.pkr.hcl"),
      `source "docker" "app" {
  image   = "${ctx.env.busybox}"
  pull    = false
  discard = true
  volumes = {
    "${host}" = "/mnt/host"
  }
}

build {
  sources = ["source.docker.app"]

  provisioner "shell" {
    inline = ["cat /mnt/host/in.txt", "echo from the container > /mnt/host/out.txt"]
  }
}
`,
    );
    const r = build(dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`    docker.app: Run command: docker run -v ${host}:/mnt/host -d -i -t`);
    expect(r.stdout).toContain("    docker.app: from the host\n");
    expect(readFileSync(join(host, "out.txt"), "utf8")).toBe("from the container\n");
    expectCleanedUp(dir, r.stdout);
  });

  it("exec_user: provisioners run as that user, uploads belong to the container's user", () => {
    const dir = ctx.made.dir(
      templateDir("exec-user", {
        "app.pkr.hcl": `source "docker" "app" {
  image       = "${ctx.env.busybox}"
  pull        = false
  commit      = true
  exec_user   = "nobody"
  run_command = ["-d", "-i", "-t", "-u", "nobody", "--entrypoint=/bin/sh", "--", "{{.Image}}"]
}

build {
  sources = ["source.docker.app"]

  provisioner "shell" {
    inline = ["echo uid=$(id -u) user=$(id -un)", "id -u > /tmp/made-by"]
  }

  provisioner "file" {
    content     = "owned\\n"
    destination = "/tmp/owned.txt"
  }
}
`,
      }),
    );
    const r = build(dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("    docker.app: uid=65534 user=nobody\n");
    const id = printedImageId(r.stdout)!;
    expect(
      runInImage(ctx.env.host, id, "stat -c '%U %a' /tmp/made-by /tmp/owned.txt; cat /tmp/made-by"),
    ).toBe("nobody 644\nnobody 644\n65534\n");
    expect(runInImage(ctx.env.host, id, TRACES_SCRIPT)).toBe("");
    expectCleanedUp(dir, r.stdout);
  });
});

describe("docker build: several sources", () => {
  it("builds a busybox and a debian image in parallel, each with its own container", () => {
    const dir = ctx.made.dir(
      templateDir("parallel", {
        "app.pkr.hcl": `source "docker" "busybox" {
  image   = "${ctx.env.busybox}"
  pull    = false
  commit  = true
}

source "docker" "debian" {
  image   = "${ctx.env.debian}"
  pull    = false
  commit  = true
}

build {
  sources = ["source.docker.busybox", "source.docker.debian"]

  provisioner "shell" {
    inline = ["echo $PACKER_BUILD_NAME > /built-by"]
  }
}
`,
      }),
    );
    const r = build(dir);
    for (const m of r.stdout.matchAll(/Image ID: (sha256:[0-9a-f]{64})/g)) ctx.made.image(m[1]);
    expect(r.code).toBe(0);
    const ids = [...r.stdout.matchAll(/docker\.(\w+): Image ID: (sha256:[0-9a-f]{64})/g)].map((m) => [
      m[1],
      m[2],
    ]);
    expect(ids.map(([name]) => name).sort()).toEqual(["busybox", "debian"]);
    for (const [name, id] of ids) expect(runInImage(ctx.env.host, id!, "cat /built-by")).toBe(`${name}\n`);
    for (const m of r.stdout.matchAll(/Container ID: ([0-9a-f]{64})/g)) {
      expect(containerExists(ctx.env.host, m[1]!)).toBe(false);
    }
    expect(leftoverTempDirs(dir)).toEqual([]);
  });
});

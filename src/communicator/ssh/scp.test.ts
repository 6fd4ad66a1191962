import { describe, expect, it } from "vitest";
import { quoteRemotePath, remoteBase, remoteDir } from "./scp.js";
import { sftpPath } from "./sftp.js";

describe("remote paths", () => {
  it("quotes for the remote shell but keeps ~ and globs working", () => {
    expect(quoteRemotePath("/tmp/a.txt")).toBe("/tmp/a.txt");
    expect(quoteRemotePath("/tmp/*.log")).toBe("/tmp/*.log");
    expect(quoteRemotePath("~/my dir/x")).toBe('~/"my dir/x"');
    expect(quoteRemotePath("~")).toBe("~");
    expect(quoteRemotePath("$HOME/x")).toBe("$HOME/x");
    expect(quoteRemotePath(`/tmp/it's "here"`)).toBe(`"/tmp/it's \\"here\\""`);
    expect(quoteRemotePath("/tmp/a`b`")).toBe('"/tmp/a\\`b\\`"');
  });

  it("splits like Go's filepath.Dir and Base", () => {
    expect(remoteDir("/tmp/x/y.sh")).toBe("/tmp/x");
    expect(remoteDir("/y.sh")).toBe("/");
    expect(remoteDir("y.sh")).toBe(".");
    expect(remoteBase("/tmp/x/")).toBe("x");
    expect(remoteBase("/")).toBe("/");
  });

  it("makes ~ paths relative for SFTP", () => {
    expect(sftpPath("~/x")).toBe("x");
    expect(sftpPath("~")).toBe(".");
    expect(sftpPath("/abs")).toBe("/abs");
  });
});

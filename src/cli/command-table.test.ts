import { describe, expect, it } from "vitest";
import { fakeIO } from "../../test/unit/cli/fake-io.js";
import { type Command, type CommandContext, RUN_RESULT_HELP } from "./command.js";
import { COMMAND_TABLE } from "./command-table.js";
import { dispatch, type LazyCommand } from "./dispatcher.js";
import { COMMANDS } from "./registry.js";

describe("COMMAND_TABLE", () => {
  it("lists exactly the registry's commands, in its order, with their synopses and hidden flags", () => {
    const listing = (c: { name: string; synopsis: string; hidden?: boolean }) => ({
      name: c.name,
      synopsis: c.synopsis,
      hidden: c.hidden === true,
    });
    expect(COMMAND_TABLE.map(listing)).toEqual(COMMANDS.map(listing));
  });

  it("loads each command as the very object the registry holds", async () => {
    for (const [i, entry] of COMMAND_TABLE.entries()) {
      expect(await entry.load()).toBe(COMMANDS[i]);
    }
  });
});

describe("dispatch over lazy commands", () => {
  function table(loaded: string[]): LazyCommand[] {
    const make = (name: string, hidden = false): LazyCommand => {
      const load = async (): Promise<Command> => {
        loaded.push(name);
        return {
          name,
          synopsis: `does ${name}`,
          ...(hidden ? { hidden } : {}),
          help: () => `Usage: kiln ${name}`,
          run: async (args) => (name === "group" ? RUN_RESULT_HELP : args.length),
        };
      };
      return hidden
        ? { name, synopsis: `does ${name}`, hidden, load }
        : { name, synopsis: `does ${name}`, load };
    };
    return [make("build"), make("group"), make("group sub"), make("secret", true), make("version")];
  }

  function context() {
    const io = fakeIO();
    const ctx: CommandContext = {
      io,
      signal: new AbortController().signal,
      global: { machineReadable: false },
    };
    return { io, ctx };
  }

  it("loads only the command it runs", async () => {
    const loaded: string[] = [];
    const { ctx } = context();
    expect(await dispatch(["build", "a", "b"], table(loaded), ctx)).toBe(2);
    expect(loaded).toEqual(["build"]);
  });

  it("lists commands without loading any", async () => {
    const loaded: string[] = [];
    const { io, ctx } = context();
    expect(await dispatch(["-h"], table(loaded), ctx)).toBe(0);
    expect(await dispatch(["nope"], table(loaded), ctx)).toBe(127);
    expect(loaded).toEqual([]);
    expect(io.stdout.text).toContain("    build      does build\n");
    expect(io.stdout.text).not.toContain("secret");
    expect(io.stderr.text).toContain("    version    does version\n");
  });

  it("loads the command for its help, and lists sub-commands from their listings", async () => {
    const loaded: string[] = [];
    const { io, ctx } = context();
    expect(await dispatch(["group", "-h"], table(loaded), ctx)).toBe(0);
    expect(io.stdout.text).toBe("Usage: kiln group\n\nSubcommands:\n    sub    does group sub\n");
    expect(await dispatch(["group"], table(loaded), ctx)).toBe(1);
    expect(io.stderr.text).toBe("Usage: kiln group\n\nSubcommands:\n    sub    does group sub\n");
    expect(loaded).toEqual(["group", "group"]);
  });
});

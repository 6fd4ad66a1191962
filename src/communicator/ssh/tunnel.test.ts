import { describe, expect, it } from "vitest";
import { parseTunnelArgument } from "./tunnel.js";

describe("parseTunnelArgument", () => {
  it("parses PORT:HOST:HOSTPORT", () => {
    expect(parseTunnelArgument("8080:localhost:3000", "local")).toEqual({
      ok: true,
      value: {
        direction: "local",
        listenHost: "localhost",
        listenPort: 8080,
        forwardHost: "localhost",
        forwardPort: 3000,
      },
    });
    expect(parseTunnelArgument("9090:[::1]:80", "remote")).toMatchObject({
      ok: true,
      value: { forwardHost: "::1", forwardPort: 80 },
    });
  });

  it("reports Packer's errors", () => {
    expect(parseTunnelArgument("8080", "local")).toEqual({
      ok: false,
      error: "Error parsing tunnel '8080': [8080]",
    });
    expect(parseTunnelArgument("8080:localhost", "local")).toEqual({
      ok: false,
      error: "Error parsing forwarding, must be a tcp address: address localhost: missing port in address",
    });
    expect(parseTunnelArgument("8080:localhost:http", "local")).toEqual({
      ok: false,
      error: `Error parsing forwarding port, must be a valid port: strconv.Atoi: parsing "http": invalid syntax`,
    });
  });
});

import { describe, expect, it } from "vitest";
import { renderPlaceholders } from "./placeholders.js";

describe("renderPlaceholders", () => {
  const data = {
    Path: "/tmp/script_1.sh",
    Vars: "A='1' ",
    EnvVarFile: "/tmp/varfile_2.sh",
    Host: "10.0.0.5",
    Port: 22,
  };

  it("renders the execute_command fields and generated data", () => {
    expect(renderPlaceholders("chmod +x {{.Path}}; {{.Vars}} {{.Path}}", data, { missing: "no-value" })).toBe(
      "chmod +x /tmp/script_1.sh; A='1'  /tmp/script_1.sh",
    );
    expect(
      renderPlaceholders('{{ .EnvVarFile }} {{build `Host`}}:{{ build "Port" }}', data, {
        missing: "no-value",
      }),
    ).toBe("/tmp/varfile_2.sh 10.0.0.5:22");
  });

  it("writes Go's <no value> for missing fields, or keeps them", () => {
    expect(renderPlaceholders("{{.Nope}}", data, { missing: "no-value" })).toBe("<no value>");
    expect(renderPlaceholders("docker ps --format '{{.Names}}'", data, { missing: "keep" })).toBe(
      "docker ps --format '{{.Names}}'",
    );
  });

  it("turns string constants into text and leaves other actions alone", () => {
    expect(renderPlaceholders('echo {{ "{{" }}x}}', data, { missing: "keep" })).toBe("echo {{x}}");
    expect(renderPlaceholders("{{`raw`}}", data, { missing: "keep" })).toBe("raw");
    expect(renderPlaceholders("{{ user `x` }}", data, { missing: "no-value" })).toBe("{{ user `x` }}");
    expect(renderPlaceholders("{{build `Unknown`}}", data, { missing: "no-value" })).toBe(
      "{{build `Unknown`}}",
    );
  });
});

// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are HCL source text
import { describe, expect, it } from "vitest";
import type { Diagnostic, Range } from "../diagnostic.js";
import type { Expression, LiteralValueExpr, TemplateExpr, Traversal } from "./ast.js";
import {
  parseConfig,
  parseExpression,
  parseTemplate,
  parseTraversalAbs,
  parseTraversalPartial,
} from "./parser.js";
import { exprAsKeyword, variables } from "./variables.js";

const r = (x: Range) =>
  `${x.start.line}:${x.start.column}:${x.start.byte}-${x.end.line}:${x.end.column}:${x.end.byte}`;

function expr(src: string): Expression {
  const { expression, diagnostics } = parseExpression(src, "t.hcl");
  expect(diagnostics).toEqual([]);
  return expression;
}

/** A compact rendering of an expression tree, for structure assertions. */
function show(e: Expression): string {
  switch (e.kind) {
    case "LiteralValue": {
      const v = e.value;
      if (v.type === "string") return JSON.stringify(v.value);
      if (v.type === "number") return v.text;
      if (v.type === "bool") return String(v.value);
      if (v.type === "null") return "null";
      return `<unknown ${v.of}>`;
    }
    case "ScopeTraversalExpr":
      return showTraversal(e.traversal);
    case "RelativeTraversalExpr":
      return `${show(e.source)}${showTraversal(e.traversal)}`;
    case "BinaryOpExpr":
      return `(${show(e.lhs)} ${e.op} ${show(e.rhs)})`;
    case "UnaryOpExpr":
      return `(${e.op} ${show(e.val)})`;
    case "ConditionalExpr":
      return `(${show(e.condition)} ? ${show(e.trueResult)} : ${show(e.falseResult)})`;
    case "ParenthesesExpr":
      return `[${show(e.expression)}]`;
    case "TemplateExpr":
      return `tmpl(${e.parts.map(show).join(", ")})`;
    case "TemplateWrapExpr":
      return `wrap(${show(e.wrapped)})`;
    case "TemplateJoinExpr":
      return `join(${show(e.tuple)})`;
    case "FunctionCallExpr":
      return `${e.name}(${e.args.map(show).join(", ")}${e.expandFinal ? "..." : ""})`;
    case "TupleConsExpr":
      return `tuple(${e.exprs.map(show).join(", ")})`;
    case "ObjectConsExpr":
      return `obj(${e.items.map((i) => `${show(i.keyExpr)}=${show(i.valueExpr)}`).join(", ")})`;
    case "ObjectConsKeyExpr":
      return `${e.forceNonLiteral ? "!" : ""}key(${show(e.wrapped)})`;
    case "ForExpr":
      return `for(${e.keyVar},${e.valVar} in ${show(e.collExpr)}: ${e.keyExpr ? `${show(e.keyExpr)} => ` : ""}${show(e.valExpr)}${e.group ? "..." : ""}${e.condExpr ? ` if ${show(e.condExpr)}` : ""})`;
    case "IndexExpr":
      return `${show(e.collection)}<${show(e.key)}>`;
    case "SplatExpr":
      return `splat(${show(e.source)} each ${show(e.each)})`;
    case "AnonSymbolExpr":
      return "item";
    case "ExprSyntaxError":
      return "<error>";
  }
}

function showTraversal(t: Traversal): string {
  return t
    .map((s) => {
      switch (s.type) {
        case "root":
          return s.name;
        case "attr":
          return `.${s.name}`;
        case "index":
          return `[${s.key.type === "string" ? JSON.stringify(s.key.value) : s.key.type === "number" ? s.key.text : s.key.type}]`;
        default:
          return "[*]";
      }
    })
    .join("");
}

function diags(ds: Diagnostic[]): [string, string | undefined, string | undefined, string | undefined][] {
  return ds.map((d) => [d.summary, d.detail, d.subject && r(d.subject), d.context && r(d.context)]);
}

describe("operators", () => {
  it("follows HCL's precedence and left associativity", () => {
    expect(show(expr("a + b * c - d"))).toBe("((a add (b multiply c)) subtract d)");
    expect(show(expr("a || b && c == d"))).toBe("(a logicalOr (b logicalAnd (c equal d)))");
    expect(show(expr("a < b == c > d"))).toBe("((a lessThan b) equal (c greaterThan d))");
    expect(show(expr("a / b % c * d"))).toBe("(((a divide b) modulo c) multiply d)");
    expect(show(expr("!a && -b"))).toBe("((logicalNot a) logicalAnd (negate b))");
    expect(show(expr("-46+5"))).toBe("((negate 46) add 5)");
    expect(show(expr("-a.b[0]"))).toBe("(negate a.b[0])");
  });

  it("makes the conditional right-associative and lowest", () => {
    expect(show(expr("a ? b : c ? d : e"))).toBe("(a ? b : (c ? d : e))");
    expect(show(expr("a || b ? c + 1 : d"))).toBe("((a logicalOr b) ? (c add 1) : d)");
  });

  it("ignores newlines inside brackets", () => {
    expect(show(expr("(a\n+\nb)"))).toBe("[(a add b)]");
    expect(show(expr("f(\n1,\n2,\n)"))).toBe("f(1, 2)");
  });

  it("records ranges and start ranges", () => {
    const e = expr("a + f(1)");
    expect(e.kind).toBe("BinaryOpExpr");
    if (e.kind !== "BinaryOpExpr") return;
    expect(r(e.srcRange)).toBe("1:1:0-1:9:8");
    expect(r(e.startRange)).toBe("1:1:0-1:2:1");
    const call = e.rhs;
    if (call.kind !== "FunctionCallExpr") throw new Error(call.kind);
    expect(r(call.nameRange)).toBe("1:5:4-1:6:5");
    expect(r(call.openParenRange)).toBe("1:6:5-1:7:6");
    expect(r(call.closeParenRange)).toBe("1:8:7-1:9:8");
    expect(r(call.srcRange)).toBe("1:5:4-1:9:8");
    expect(r(call.startRange)).toBe("1:5:4-1:7:6");
  });
});

describe("terms", () => {
  it("parses literals, keeping number text", () => {
    expect(show(expr("1.5e3"))).toBe("1.5e3");
    expect(show(expr("[true, false, null]"))).toBe("tuple(true, false, null)");
  });

  it("reports invalid number literals", () => {
    const { expression, diagnostics } = parseExpression("1.2.3", "t.hcl");
    expect((expression as LiteralValueExpr).value).toEqual({ type: "unknown", of: "number" });
    expect(diags(diagnostics)).toEqual([
      [
        "Invalid number literal",
        "Failed to recognize the value of this number literal.",
        "1:1:0-1:6:5",
        undefined,
      ],
    ]);
  });

  it("turns literal steps into traversals and other keys into index expressions", () => {
    expect(show(expr('a.b[0]["k"].0'))).toBe('a.b[0]["k"][0]');
    expect(show(expr("a[b]"))).toBe("a<b>");
    expect(show(expr("f(x).y[1]"))).toBe("f(x).y[1]");
    expect(show(expr('a["${b}"]'))).toBe("a<wrap(b)>");
  });

  it("parses full and attribute-only splats", () => {
    expect(show(expr("a[*].b[0]"))).toBe("splat(a each item.b[0])");
    expect(show(expr("a.*.b.0"))).toBe("splat(a each item.b[0])");
    const e = expr("a[*].b");
    if (e.kind !== "SplatExpr") throw new Error(e.kind);
    expect(r(e.markerRange)).toBe("1:2:1-1:5:4");
    expect(r(e.srcRange)).toBe("1:1:0-1:7:6");
    expect(e.item.kind).toBe("AnonSymbolExpr");
  });

  it("parses function calls, expansion and namespaced names", () => {
    expect(show(expr("f(a, b...)"))).toBe("f(a, b...)");
    const e = expr("provider::aws::arn(x)");
    if (e.kind !== "FunctionCallExpr") throw new Error(e.kind);
    expect(e.name).toBe("provider::aws::arn");
    expect(r(e.nameRange)).toBe("1:1:0-1:19:18");
  });

  it("parses object constructors with literal and expression keys", () => {
    const e = expr('{a = 1, "b": 2, (c) = 3, d.e = 4\n f = 5}');
    expect(show(e)).toBe('obj(key(a)=1, key(tmpl("b"))=2, !key([c])=3, key(d.e)=4, key(f)=5)');
    if (e.kind !== "ObjectConsExpr") throw new Error(e.kind);
    expect(e.items.map((i) => exprAsKeyword(i.keyExpr.wrapped))).toEqual(["a", "", "", "", "f"]);
  });

  it("parses for expressions", () => {
    expect(show(expr("[for i, v in xs: v if i > 0]"))).toBe("for(i,v in xs: v if (i greaterThan 0))");
    expect(show(expr("{for v in xs: v.k => v...}"))).toBe("for(,v in xs: v.k => v...)");
  });
});

describe("templates", () => {
  it("unwraps a template that is a single interpolation", () => {
    expect(show(expr('"${a}"'))).toBe("wrap(a)");
    expect(show(expr('"x${a}"'))).toBe('tmpl("x", a)');
  });

  it("decodes escapes and escaped sequence introducers", () => {
    expect(show(expr('"a\\n\\t\\"\\\\\\u00e9\\U0001F600 $${x} %%{y} $ %"'))).toBe(
      JSON.stringify('a\n\t"\\\u00e9\u{1F600} ${x} %{y} $ %').replace(/^/, "tmpl(").replace(/$/, ")"),
    );
  });

  it("reports invalid escapes at their own range", () => {
    const { diagnostics } = parseExpression('"\\q\\u12 \\ud800"', "t.hcl");
    expect(diags(diagnostics)).toEqual([
      [
        "Invalid escape sequence",
        'The symbol "q" is not a valid escape sequence selector.',
        "1:2:1-1:4:3",
        undefined,
      ],
      [
        "Invalid escape sequence",
        "The \\u escape sequence must be followed by four hexadecimal digits.",
        "1:4:3-1:8:7",
        undefined,
      ],
      ["Invalid escape sequence", "Cannot encode character U+d800 in UTF-8.", "1:9:8-1:15:14", undefined],
    ]);
  });

  it("applies strip markers to the neighbouring literals", () => {
    expect(show(expr('"a  ${~ b ~}  c"'))).toBe('tmpl("a", b, "c")');
    expect(show(expr('"a %{~ if x ~} b %{~ endif ~} c"'))).toBe('tmpl("a", (x ? tmpl("b") : tmpl("")), "c")');
  });

  it("turns directives into conditional and join expressions", () => {
    expect(show(expr('"%{if a}x%{else}y%{endif}"'))).toBe('tmpl((a ? tmpl("x") : tmpl("y")))');
    expect(show(expr('"%{for k, v in m}${k}=${v};%{endfor}"'))).toBe(
      'tmpl(join(for(k,v in m: tmpl(k, "=", v, ";"))))',
    );
  });

  it("removes common indentation from flush heredocs", () => {
    const e = expr("<<-EOT\n    a\n      b\n    ${c}\n  EOT\n");
    expect(show(e)).toBe('tmpl("a\\n  b\\n", c, "\\n")');
    const first = (e as TemplateExpr).parts[0] as LiteralValueExpr;
    expect(r(first.srcRange)).toBe("2:5:11-4:5:25");
  });

  it("keeps heredoc text as written otherwise", () => {
    expect(show(expr("<<EOT\n  a $${b}\\n\nEOT\n"))).toBe('tmpl("  a ${b}\\\\n\\n")');
  });

  it("parses bare templates as the JSON syntax uses them", () => {
    const { expression, diagnostics } = parseTemplate("hello ${name}!", "t.json", {
      line: 2,
      column: 5,
      byte: 20,
    });
    expect(diagnostics).toEqual([]);
    expect(show(expression)).toBe('tmpl("hello ", name, "!")');
    expect(r(expression.srcRange)).toBe("2:5:20-2:19:34");
    expect(show(parseTemplate("${x}", "t.json").expression)).toBe("wrap(x)");
  });
});

describe("structure", () => {
  it("parses attributes and blocks with their ranges", () => {
    const { body, diagnostics } = parseConfig(
      'a = 1\nsource "docker" "x" {\n  image = "ubuntu"\n}\n',
      "t.hcl",
    );
    expect(diagnostics).toEqual([]);
    const a = body.attributes.get("a");
    expect(a && [r(a.srcRange), r(a.nameRange), r(a.equalsRange)]).toEqual([
      "1:1:0-1:6:5",
      "1:1:0-1:2:1",
      "1:3:2-1:4:3",
    ]);
    const b = body.blocks[0];
    if (b === undefined) throw new Error("no block");
    expect([b.type, ...b.labels]).toEqual(["source", "docker", "x"]);
    expect(b.labelRanges.map(r)).toEqual(["2:8:13-2:16:21", "2:17:22-2:20:25"]);
    expect(r(b.defRange)).toBe("2:1:6-2:20:25");
    expect(r(b.openBraceRange)).toBe("2:21:26-2:22:27");
    expect(r(b.closeBraceRange)).toBe("4:1:47-4:2:48");
    expect(r(b.body.srcRange)).toBe("2:21:26-4:2:48");
    expect(r(b.body.endRange)).toBe("4:2:48-4:2:48");
    expect(r(body.srcRange)).toBe("1:1:0-5:1:49");
  });

  it("accepts one-line blocks with a single argument", () => {
    const { body, diagnostics } = parseConfig("a { b = 1 }\nc {}\n", "t.hcl");
    expect(diagnostics).toEqual([]);
    expect(body.blocks.map((b) => [...b.body.attributes.keys()])).toEqual([["b"], []]);
  });

  it("ends an attribute at a comment's newline", () => {
    const { body, diagnostics } = parseConfig("a = 1 # note\nb = 2 // x\n", "t.hcl");
    expect(diagnostics).toEqual([]);
    expect([...body.attributes.keys()]).toEqual(["a", "b"]);
  });

  const cases: [string, string, ReturnType<typeof diags>][] = [
    [
      "comma after an argument",
      "d = 1,\n",
      [
        [
          "Unexpected comma after argument",
          "Argument definitions must be separated by newlines, not commas. An argument definition must end with a newline.",
          "1:6:5-1:7:6",
          "1:1:0-1:7:6",
        ],
      ],
    ],
    [
      "extra tokens after an argument",
      "e = 2 f\n",
      [
        [
          "Missing newline after argument",
          "An argument definition must end with a newline.",
          "1:7:6-1:8:7",
          "1:1:0-1:8:7",
        ],
      ],
    ],
    [
      "a quoted argument name",
      '"q" = 1\n',
      [["Invalid argument name", "Argument names must not be quoted.", "1:1:0-1:2:1", undefined]],
    ],
    [
      "two arguments in a one-line block",
      'a { b = "foo", c = "bar" }\n',
      [
        [
          "Invalid single-argument block definition",
          "Single-line block syntax can include only one argument definition. To define multiple arguments, use the multi-line block syntax with one argument definition per line.",
          "1:14:13-1:15:14",
          undefined,
        ],
      ],
    ],
    [
      "a nested block in a one-line block",
      "a { d {} }\n",
      [
        [
          "Argument definition required",
          'A single-line block definition can contain only a single argument. If you meant to define argument "d", use an equals sign to assign it a value. To define a nested block, place it on a line of its own within its parent block.',
          "1:5:4-1:8:7",
          undefined,
        ],
      ],
    ],
    [
      "escapes and an unclosed block",
      'source "x" {\n  v = "\\q\\u12"\n',
      [
        [
          "Invalid escape sequence",
          'The symbol "q" is not a valid escape sequence selector.',
          "2:8:20-2:10:22",
          undefined,
        ],
        [
          "Invalid escape sequence",
          "The \\u escape sequence must be followed by four hexadecimal digits.",
          "2:10:22-2:14:26",
          undefined,
        ],
        [
          "Unclosed configuration block",
          "There is no closing brace for this block before the end of the file. This may be caused by incorrect brace nesting elsewhere in this file.",
          "1:12:11-1:13:12",
          undefined,
        ],
      ],
    ],
    [
      "a misspelled directive",
      'y = "%{ iff x }"\n',
      [
        [
          "Invalid template control keyword",
          '"iff" is not a valid template control keyword. Did you mean "if"?',
          "1:9:8-1:12:11",
          "1:6:5-1:12:11",
        ],
      ],
    ],
    [
      "an unterminated heredoc",
      "a = <<EOT\nfoo\n",
      [
        [
          "Unterminated template string",
          "No closing marker was found for the string.",
          "3:1:14-3:1:14",
          "2:1:10-3:1:14",
        ],
      ],
    ],
    [
      "invalid characters, then recovery mode",
      "a = `x`; b = 'y'\n",
      [
        [
          "Invalid character",
          'The "`" character is not valid. To create a multi-line string, use the "heredoc" syntax, like "<<EOT".',
          "1:5:4-1:6:5",
          undefined,
        ],
        [
          "Invalid character",
          'The ";" character is not valid. Use newlines to separate arguments and blocks, and commas to separate items in collection values.',
          "1:8:7-1:9:8",
          undefined,
        ],
        [
          "Invalid character",
          'Single quotes are not valid. Use double quotes (") to enclose strings.',
          "1:14:13-1:15:14",
          undefined,
        ],
        [
          "Invalid expression",
          "Expected the start of an expression, but found an invalid expression token.",
          "1:5:4-1:6:5",
          undefined,
        ],
      ],
    ],
    [
      "a template sequence in a block label",
      'a "${x}" {}\n',
      [
        [
          "Invalid string literal",
          'Template sequences are not allowed in this string. To include a literal "$", double it (as "$$") to escape it.',
          "1:4:3-1:6:5",
          "1:3:2-1:6:5",
        ],
      ],
    ],
    [
      "a redefined argument",
      "e = 1\ne = 2\n",
      [
        [
          "Attribute redefined",
          'The argument "e" was already set at t.hcl:1,1-2. Each argument may be set only once.',
          "2:1:6-2:2:7",
          undefined,
        ],
      ],
    ],
  ];
  for (const [name, src, want] of cases) {
    it(`reports ${name} as HCL does`, () => {
      expect(diags(parseConfig(src, "t.hcl").diagnostics)).toEqual(want);
    });
  }

  it("reports extra characters after a standalone expression", () => {
    expect(diags(parseExpression("a + b ) c", "t.hcl").diagnostics)).toEqual([
      [
        "Extra characters after expression",
        "An expression was successfully parsed, but extra characters were found after it.",
        "1:7:6-1:8:7",
        undefined,
      ],
    ]);
  });

  it("reports unbalanced template directives", () => {
    expect(diags(parseTemplate("a %{if x}b%{endfor}", "t.hcl").diagnostics)).toEqual([
      [
        "Unexpected endfor directive",
        "Expecting an endif directive for the if started at t.hcl:1,3-10.",
        "1:11:10-1:20:19",
        undefined,
      ],
    ]);
  });
});

describe("traversals", () => {
  it("parses absolute traversals", () => {
    const { traversal, diagnostics } = parseTraversalAbs('var.a[0]["b"]', "t.hcl");
    expect(diagnostics).toEqual([]);
    expect(showTraversal(traversal)).toBe('var.a[0]["b"]');
    expect(traversal.map((s) => r(s.srcRange))).toEqual([
      "1:1:0-1:4:3",
      "1:4:3-1:6:5",
      "1:6:5-1:9:8",
      "1:9:8-1:14:13",
    ]);
  });

  it("rejects splats unless partial traversals are asked for", () => {
    expect(diags(parseTraversalAbs("a.b[*]", "t.hcl").diagnostics)).toEqual([
      [
        "Attribute name required",
        "Splat expressions ([*]) may not be used here.",
        "1:5:4-1:6:5",
        "1:1:0-1:6:5",
      ],
    ]);
    const partial = parseTraversalPartial("a.b[*].c", "t.hcl");
    expect(partial.diagnostics).toEqual([]);
    expect(showTraversal(partial.traversal)).toBe("a.b[*].c");
  });
});

describe("variables", () => {
  it("lists referenced traversals, leaving out for-expression locals and literal object keys", () => {
    const e = expr(
      '[for k, v in var.m: "${k}-${v.x}-${local.y}" if v != other] ++ {a = b, (c) = d}[0]'.replace(
        " ++",
        " +",
      ),
    );
    expect(variables(e).map(showTraversal)).toEqual(["var.m", "local.y", "other", "b", "c", "d"]);
  });

  it("sees through splats and function calls", () => {
    expect(variables(expr("f(a[*].b, c.*.d[e])")).map(showTraversal)).toEqual(["a", "c", "e"]);
  });
});

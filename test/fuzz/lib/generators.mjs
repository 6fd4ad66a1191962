/**
 * fast-check arbitraries that build valid HCL native-syntax source text: bodies of attributes and blocks
 * (one-line and nested), comments of the three kinds, and every expression form — literals, quoted templates
 * with escapes, interpolations, `%{if}`/`%{for}` directives and strip markers, heredocs (`<<` and `<<-`),
 * traversals with attribute, index, legacy `.0` and splat steps, function calls with `...`, unary and binary
 * operators, conditionals, tuple and object constructors (one-line and multi-line), for expressions of both
 * shapes, index expressions and parentheses. Identifiers and strings include non-ASCII text.
 *
 * Everything generated is meant to parse without errors (the `valid-rejected` property holds the generator
 * to that). The grammar choices that keep it valid are noted where they are made.
 */
import fc from "fast-check";

/** Words the parser reads as keywords in some position; never generated as plain identifiers. */
const KEYWORDS = new Set(["true", "false", "null", "for", "in", "if", "else", "endif", "endfor"]);

const identStart = fc.constantFrom(
  ..."abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_",
  "é",
  "ß",
  "名",
  "Ω",
);
const identRest = fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz0123456789_-", "ü", "字");

/** An identifier (HCL allows `-` after the first character and Unicode letters). */
export const identifier = fc
  .tuple(identStart, fc.array(identRest, { maxLength: 8 }))
  .map(([h, t]) => h + t.join(""))
  .filter((s) => !KEYWORDS.has(s));

/** Names used as variable roots: the ones the evaluation context defines, and a few it does not. */
const rootName = fc.constantFrom(
  "var",
  "local",
  "source",
  "path",
  "each",
  "count",
  "x",
  "y",
  "undefined_thing",
);
const attrName = fc.constantFrom(
  "s",
  "n",
  "f",
  "b",
  "l",
  "m",
  "o",
  "secret",
  "u",
  "dyn",
  "nul",
  "empty",
  "name",
  "id",
);
const functionName = fc.constantFrom(
  ...["upper", "lower", "format", "formatlist", "join", "split", "replace", "substr", "trimspace", "title"],
  ...["strrev", "indent", "chomp", "startswith", "strcontains", "concat", "length", "coalesce", "compact"],
  ...["contains", "distinct", "element", "flatten", "index", "keys", "values", "lookup", "merge", "range"],
  ...["reverse", "slice", "sort", "zipmap", "setunion", "setproduct", "chunklist", "alltrue", "sum", "max"],
  ...["min", "abs", "ceil", "floor", "log", "pow", "parseint", "signum", "jsonencode", "jsondecode"],
  ...["yamlencode", "yamldecode", "csvdecode", "base64encode", "base64decode", "urlencode", "regex"],
  ...["regexall", "regex_replace", "formatdate", "timeadd", "timestamp", "tostring", "tonumber", "tobool"],
  ...["tolist", "toset", "tomap", "try", "can", "convert", "sensitive", "md5", "sha256", "uuidv5"],
  ...["cidrhost", "cidrsubnet", "cidrnetmask", "no_such_function"],
);

const space = fc.constantFrom("", " ", " ", "  ");
const space1 = fc.constantFrom(" ", " ", "  ");

export const numberLiteral = fc.oneof(
  fc.nat({ max: 1_000_000 }).map(String),
  fc.constantFrom("0", "007", "1.5", "3.14159", "1e3", "2E-5", "6.02e+23", "9007199254740993", "1e400"),
  fc.tuple(fc.nat(999), fc.nat(999)).map(([a, b]) => `${a}.${b}`),
);

/** Literal text safe inside a quoted string: no `"`, `\`, newline, and `$`/`%` only where they cannot start a sequence. */
const quotedChar = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(..."abcxyz ABC 0123456789-_.,:;!?/'()[]<>=+*&|^~@#") },
  { weight: 2, arbitrary: fc.constantFrom("é", "ñ", "ß", "日本", "🚀", "e\u0301", "\u00a0", "Ω", "👩‍👩‍👧") },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      "\\n",
      "\\t",
      "\\r",
      '\\"',
      "\\\\",
      "\\u00e9",
      "\\U0001F600",
      "$${x}",
      "%%{y}",
    ),
  },
  { weight: 1, arbitrary: fc.constantFrom("$a", "%b", "$ ", "% ", "{", "}") },
);
const quotedLiteral = fc.array(quotedChar, { maxLength: 6 }).map((a) => a.join(""));

/** Literal text inside a heredoc: like quoted text, but `"` and `\` are plain characters there. */
const heredocChar = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(..."abcxyz 0123456789-_.,:;!?/'()[]<>=+*&|~@#") },
  { weight: 2, arbitrary: fc.constantFrom('"', "\\", "\\n", "é", "日本", "🚀", "\t") },
  { weight: 1, arbitrary: fc.constantFrom("$${x}", "%%{y}", "$a", "%b") },
);
const heredocLiteral = fc.array(heredocChar, { maxLength: 8 }).map((a) => a.join(""));

const strip = fc.constantFrom("", "", "~");

/** Text for a comment of the given kind: no newline in line comments, no `*\/` in block comments. */
const commentText = fc
  .array(fc.constantFrom(..."abc xyz 123 #/*-=é日🚀\"'$%{}"), { maxLength: 12 })
  .map((a) => a.join("").replaceAll("*/", "* /"));
const lineComment = fc
  .tuple(fc.constantFrom("#", "//"), commentText)
  .map(([m, t]) => `${m}${t}`.replace(/\/\*/g, "/ *"));
const blockComment = fc
  .tuple(commentText, fc.boolean())
  .map(([t, multi]) => (multi ? `/*\n ${t}\n*/` : `/* ${t} */`));

/**
 * The recursive expression grammar. `primary` is everything that can be an operand without parentheses;
 * compound forms (operators, conditionals) only take primaries as operands, wrapping others in parentheses,
 * so no generated text depends on precedence rules. Binary operators always have spaces around them, since
 * `a-b` is one identifier in HCL.
 */
const exprs = fc.letrec((tie) => {
  const expr = /** @type {fc.Arbitrary<string>} */ (tie("expr"));
  const primary = /** @type {fc.Arbitrary<string>} */ (tie("primary"));
  const template = /** @type {fc.Arbitrary<string>} */ (tie("templateParts"));
  return {
    expr: fc.oneof(
      { depthSize: "small", maxDepth: 5, withCrossShrink: true },
      { weight: 5, arbitrary: primary },
      { weight: 2, arbitrary: tie("binary") },
      { weight: 1, arbitrary: tie("unary") },
      { weight: 1, arbitrary: tie("conditional") },
    ),
    primary: fc.oneof(
      { depthSize: "small", maxDepth: 5, withCrossShrink: true },
      { weight: 4, arbitrary: tie("literal") },
      { weight: 4, arbitrary: tie("quoted") },
      { weight: 3, arbitrary: tie("traversal") },
      { weight: 2, arbitrary: tie("call") },
      { weight: 2, arbitrary: tie("tuple") },
      { weight: 2, arbitrary: tie("object") },
      { weight: 1, arbitrary: tie("forExpr") },
      { weight: 1, arbitrary: tie("splat") },
      { weight: 1, arbitrary: tie("index") },
      { weight: 1, arbitrary: tie("paren") },
    ),
    literal: fc.oneof(numberLiteral, fc.constantFrom("true", "false", "null")),
    quoted: template.map((t) => `"${t}"`),
    templateParts: fc
      .array(
        fc.oneof(
          { depthSize: "small", maxDepth: 3 },
          { weight: 4, arbitrary: quotedLiteral },
          { weight: 3, arbitrary: tie("interp") },
          { weight: 1, arbitrary: tie("ifDirective") },
          { weight: 1, arbitrary: tie("forDirective") },
        ),
        { maxLength: 4 },
      )
      // No literal ends in `$`, `%` or `\`, so parts cannot fuse into a sequence they did not mean.
      .map((parts) => parts.join("")),
    interp: fc
      .tuple(strip, space, expr, space, strip)
      .map(([a, s1, e, s2, b]) => `\${${a}${s1}${e}${s2}${b}}`),
    ifDirective: fc
      .tuple(strip, expr, strip, template, fc.option(template, { nil: undefined }), strip)
      .map(
        ([a, cond, b, then, otherwise, c]) =>
          `%{${a} if ${cond} ${b}}${then}${otherwise === undefined ? "" : `%{ else }${otherwise}`}%{${c} endif }`,
      ),
    forDirective: fc
      .tuple(strip, fc.option(identifier, { nil: undefined }), identifier, expr, template, strip)
      .map(
        ([a, k, v, coll, body, c]) =>
          `%{${a} for ${k === undefined || k === v ? "" : `${k}, `}${v} in ${coll} }${body}%{${c} endfor }`,
      ),
    traversal: fc
      .tuple(
        rootName,
        fc.array(
          fc.oneof(
            attrName.map((n) => `.${n}`),
            fc.nat(3).map((n) => `[${n}]`),
            fc.nat(3).map((n) => `.${n}`),
            attrName.map((n) => `["${n}"]`),
          ),
          { maxLength: 3 },
        ),
      )
      // Two legacy index steps in a row (`a.0.1`) are an error in HCL: write the second one in brackets.
      .map(
        ([r, steps]) =>
          r +
          steps
            .map((st, i) => (/^\.\d/.test(st) && /^\.\d/.test(steps[i - 1] ?? "") ? `[${st.slice(1)}]` : st))
            .join(""),
      ),
    call: fc
      .tuple(functionName, fc.array(expr, { maxLength: 3 }), fc.boolean(), space)
      .map(([name, args, expand, s]) => {
        const tail = expand && args.length > 0 ? "..." : "";
        return `${name}(${s}${args.join(`,${s === "" ? " " : s}`)}${tail}${s})`;
      }),
    tuple: fc
      .tuple(fc.array(expr, { maxLength: 4 }), fc.boolean(), fc.boolean())
      .map(([items, multiline, trailing]) => {
        if (items.length === 0) return "[]";
        if (multiline) return `[\n${items.map((i) => `  ${i},`).join("\n")}\n]`;
        return `[${items.join(", ")}${trailing ? "," : ""}]`;
      }),
    object: fc
      .tuple(
        fc.array(
          fc.tuple(
            fc.oneof(
              identifier,
              quotedLiteral.map((s) => `"${s}"`),
              primary.map((p) => `(${p})`),
            ),
            fc.constantFrom("=", ":", " =", " = "),
            expr,
          ),
          { maxLength: 4 },
        ),
        fc.boolean(),
      )
      .map(([items, multiline]) => {
        if (items.length === 0) return "{}";
        const pairs = items.map(([k, eq, v]) => `${k}${eq} ${v}`);
        return multiline ? `{\n${pairs.map((p) => `  ${p}`).join("\n")}\n}` : `{ ${pairs.join(", ")} }`;
      }),
    forExpr: fc
      .tuple(
        fc.option(identifier, { nil: undefined }),
        identifier,
        expr,
        expr,
        fc.option(expr, { nil: undefined }),
        fc.option(fc.tuple(expr, fc.boolean()), { nil: undefined }),
      )
      .map(([k, v, coll, val, cond, objectKey]) => {
        const vars = k === undefined || k === v ? v : `${k}, ${v}`;
        const ifPart = cond === undefined ? "" : ` if ${cond}`;
        if (objectKey === undefined) return `[for ${vars} in ${coll} : ${val}${ifPart}]`;
        const [key, group] = objectKey;
        return `{for ${vars} in ${coll} : ${key} => ${val}${group ? "..." : ""}${ifPart}}`;
      }),
    splat: fc
      .tuple(
        fc.oneof(tie("traversal"), tie("paren"), tie("tuple")),
        fc.boolean(),
        fc.array(attrName, { maxLength: 2 }),
      )
      .map(([src, full, names]) => {
        const steps = names.map((n) => `.${n}`).join("");
        return full ? `${src}[*]${steps}` : `${src}.*${steps}`;
      }),
    index: fc
      .tuple(fc.oneof(tie("traversal"), tie("paren"), tie("call")), expr)
      .map(([c, k]) => `${c}[${k}]`),
    paren: expr.map((e) => `(${e})`),
    unary: fc.tuple(fc.constantFrom("-", "!"), primary).map(([op, p]) => `${op}${p}`),
    binary: fc
      .tuple(
        primary,
        fc.constantFrom("+", "-", "*", "/", "%", "==", "!=", "<", "<=", ">", ">=", "&&", "||"),
        primary,
        space1,
        space1,
      )
      .map(([l, op, r, s1, s2]) => `${l}${s1}${op}${s2}${r}`),
    conditional: fc.tuple(primary, primary, primary).map(([c, t, f]) => `${c} ? ${t} : ${f}`),
  };
});

/** Any valid expression (no heredocs: those end in a newline and only fit at the end of a line). */
export const expression = /** @type {fc.Arbitrary<string>} */ (exprs.expr);

/** The content of a quoted template, without the quotes (what `parseTemplate` reads). */
export const templateContent = /** @type {fc.Arbitrary<string>} */ (exprs.templateParts);

/**
 * A heredoc, from `<<` to the newline after its closing marker. Content lines never consist of the marker
 * alone (that would close it early); `<<-` content is indented and the closing marker may be too.
 */
export const heredoc = fc
  .tuple(
    fc.constantFrom("EOT", "EOF", "END_OF_TEXT", "SCRIPT"),
    fc.boolean(),
    fc.array(
      fc.tuple(
        fc.constantFrom("", "  ", "    "),
        fc.array(fc.oneof(heredocLiteral, /** @type {fc.Arbitrary<string>} */ (exprs.interp)), {
          maxLength: 3,
        }),
      ),
      { maxLength: 5 },
    ),
    fc.constantFrom("", "  "),
  )
  .map(([marker, indent, lines, closeIndent]) => {
    const body = lines
      .map(([ind, parts]) => {
        const line = (indent ? ind : "") + parts.join("");
        return line.trim() === marker ? `${line}x` : line;
      })
      .map((l) => `${l}\n`)
      .join("");
    return `<<${indent ? "-" : ""}${marker}\n${body}${indent ? closeIndent : ""}${marker}\n`;
  });

/**
 * A body: attribute definitions (unique names per body), blocks with 0-2 labels, one-line blocks, comments
 * and blank lines, at the given nesting depth. Each item ends with its own newline.
 * @param {number} depth
 * @param {string} indent
 * @returns {fc.Arbitrary<string>}
 */
function bodyAt(depth, indent) {
  const attribute = fc
    .tuple(
      identifier,
      space1,
      fc.oneof({ weight: 5, arbitrary: expression }, { weight: 1, arbitrary: heredoc }),
      fc.option(fc.oneof(lineComment, blockComment), { nil: undefined, freq: 5 }),
      space,
    )
    .map(([base, s, value, comment, s2]) => (/** @type {number} */ n) => {
      const name = `${base}_${n}`;
      if (value.startsWith("<<")) return `${indent}${name}${s}=${s}${value}`;
      const tail = comment === undefined ? "" : ` ${comment}`;
      return `${indent}${name}${s}=${s}${value}${tail}${s2}\n`;
    });
  const label = fc.oneof(
    identifier,
    fc.array(fc.constantFrom(..."abc-_. 019", "é", "日本"), { maxLength: 8 }).map((a) => `"${a.join("")}"`),
  );
  const oneLineBlock = fc
    .tuple(
      identifier,
      fc.array(label, { maxLength: 2 }),
      fc.option(fc.tuple(identifier, expression), { nil: undefined }),
    )
    .map(([type, labels, attr]) => {
      const head = [type, ...labels].join(" ");
      const inner = attr === undefined ? "" : ` ${attr[0]} = ${attr[1]} `;
      return `${indent}${head} {${inner}}\n`;
    });
  /** @type {fc.Arbitrary<string>[]} */
  const others = [
    lineComment.map((c) => `${indent}${c}\n`),
    blockComment.map((c) => `${indent}${c}\n`),
    fc.constant("\n"),
    oneLineBlock,
  ];
  if (depth < 3) {
    others.push(
      fc
        .tuple(identifier, fc.array(label, { maxLength: 2 }), space, fc.constant(null))
        .chain(([type, labels, s]) =>
          bodyAt(depth + 1, `${indent}  `).map(
            (inner) => `${indent}${[type, ...labels].join(" ")}${s === "" ? " " : s}{\n${inner}${indent}}\n`,
          ),
        ),
    );
  }
  const item = fc.oneof(
    { weight: 5, arbitrary: attribute.map((make) => ({ make })) },
    { weight: depth < 3 ? 3 : 2, arbitrary: fc.oneof(...others).map((text) => ({ text })) },
  );
  return fc.array(item, { maxLength: depth === 0 ? 8 : 4 }).map((items) => {
    let n = 0;
    return items.map((it) => ("make" in it ? it.make(n++) : it.text)).join("");
  });
}

/**
 * A whole configuration file: a body, optionally with a byte order mark, CRLF line endings, or no newline
 * at the end.
 */
export const config = fc
  .tuple(bodyAt(0, ""), fc.constantFrom("lf", "lf", "lf", "crlf"), fc.boolean(), fc.nat(9))
  .map(([body, eol, bom, trim]) => {
    let text = body;
    // Dropping the final newline is fine unless the file ends in a heredoc's closing marker.
    if (trim === 0 && /[^\n]\n$/.test(text) && !/(^|\n)\s*[A-Z_]+\n$/.test(text)) text = text.slice(0, -1);
    if (eol === "crlf") text = text.replaceAll("\n", "\r\n");
    return (bom ? "\uFEFF" : "") + text;
  });

/**
 * A configuration in HCL's JSON syntax (`*.pkr.json`): nested objects keyed by block types and labels, with
 * string values that are HCL templates, numbers, bools, null and arrays, printed with or without indentation.
 */
const jsonTree = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small", maxDepth: 4 },
    { weight: 4, arbitrary: templateContent },
    { weight: 1, arbitrary: fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer()) },
    { weight: 1, arbitrary: fc.constantFrom(true, false, null) },
    { weight: 1, arbitrary: fc.array(tie("value"), { maxLength: 3 }) },
    { weight: 2, arbitrary: tie("object") },
  ),
  object: fc.dictionary(
    fc.oneof(
      identifier,
      fc.constantFrom("source", "build", "variable", "locals", "provisioner", "//", "type"),
    ),
    tie("value"),
    { maxKeys: 4 },
  ),
}));
export const jsonConfig = /** @type {fc.Arbitrary<Record<string, unknown>>} */ (jsonTree.object).chain(
  (obj) => fc.constantFrom(0, 2, "\t").map((indent) => JSON.stringify(obj, null, indent)),
);

/**
 * Deeply nested input (50 to 3000 levels) of one construct: parentheses, tuples, objects, interpolations,
 * function calls, blocks, unary and binary operator chains, conditionals, unclosed brackets, JSON arrays and
 * objects (also as the value of an argument or a block, with a template at the bottom). Real templates are
 * shallow, but Packer's parser copes with thousands of levels, so kiln's must not fail (or throw) on them
 * either.
 */
export const deepNesting = fc
  .tuple(
    fc.constantFrom(
      /** @type {(n: number) => string} */ ((n) => `a = ${"(".repeat(n)}1${")".repeat(n)}\n`),
      (n) => `a = ${"[".repeat(n)}${"]".repeat(n)}\n`,
      (n) => `a = ${"{a = ".repeat(n)}1${"}".repeat(n)}\n`,
      (n) => `a = ${'"${'.repeat(n)}1${'}"'.repeat(n)}\n`,
      (n) => `a = ${"f(".repeat(n)}${")".repeat(n)}\n`,
      (n) => `${"b {\n".repeat(n)}${"}\n".repeat(n)}`,
      (n) => `a = ${"!".repeat(n)}true\n`,
      (n) => `a = ${"-".repeat(n)}1\n`,
      (n) => `a = ${"1 + ".repeat(n)}1\n`,
      (n) => `a = ${"true ? 1 : ".repeat(n)}1\n`,
      (n) => `a = ${"[".repeat(n)}\n`,
      (n) => `${"[".repeat(n)}${"]".repeat(n)}`,
      (n) => `${'{"a":'.repeat(n)}1${"}".repeat(n)}`,
      (n) => `{"a":${"[".repeat(n)}"\${var.s}"${"]".repeat(n)}}`,
      (n) => `{"image":${'{"x":['.repeat(n)}"\${x}"${"]}".repeat(n)}}`,
      (n) => `{"source":{"t":{"n":${'{"a":'.repeat(n)}"\${upper(var.s)}"${"}".repeat(n)}}}}`,
    ),
    fc.noBias(fc.integer({ min: 50, max: 3000 })),
  )
  .map(([make, n]) => make(n));

/** Arguments chosen to reach the edge cases of functions: null, unknown, sensitive, empty and mixed values. */
const interestingArgument = fc.constantFrom(
  ...[
    "null",
    "var.u",
    "var.dyn",
    "var.secret",
    "var.s",
    "var.n",
    "var.f",
    "var.b",
    "var.l",
    "var.m",
    "var.o",
  ],
  ...[
    "var.empty",
    "var.nul",
    "[]",
    "{}",
    '[1, "a"]',
    "{a = 1}",
    '"x"',
    '""',
    "0",
    "-1",
    "1.5",
    "1e400",
    "-0",
  ],
  ...['"%d"', '"%s %v %#v"', '"a,b"', '"10.0.0.0/8"', '"2020-01-01T00:00:00Z"', '"(a)(b)?"', '"YYYY-MM-DD"'],
  ...["[null]", "{a = null}", '"é🚀"', "[var.u]", "{a = var.secret}", "[[1], [2]]", '{a = {b = "c"}}'],
  ...['["a", "a"]', "[1, 2, 3]", "9223372036854775808", "0.1", '"1h"', '"a: [1, 2]"', '"{\\"a\\": 1}"'],
);

/**
 * Function calls of the functions in `table` (name -> FunctionSpec, as the evaluation context has them) with
 * the right number of arguments most of the time, taken from a pool of edge cases and nested a little, as
 * attribute values. Far more of these calls get past arity and type checks than random ones, so function
 * bodies run. With an empty table, calls go to the fixed list of Packer's function names.
 * @param {ReadonlyMap<string, {params: readonly unknown[], varParam?: unknown}>} table
 * @returns {fc.Arbitrary<string>}
 */
export function functionCallsFor(table) {
  const specs = [...table.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  /** @type {fc.Arbitrary<{name: string, arity: number}>} */
  const target =
    specs.length === 0
      ? fc.tuple(functionName, fc.nat(4)).map(([name, arity]) => ({ name, arity }))
      : fc.tuple(fc.constantFrom(...specs), fc.nat(2), fc.nat(19)).map(([[name, spec], extra, skew]) => {
          let arity = spec.params.length + (spec.varParam === undefined ? 0 : extra);
          // One call in ten has one argument too many or too few.
          if (skew === 0) arity++;
          else if (skew === 1 && arity > 0) arity--;
          return { name, arity };
        });
  const call = fc.letrec((tie) => ({
    call: fc
      .tuple(
        target,
        fc.array(
          fc.oneof(
            { depthSize: "small", maxDepth: 2 },
            { weight: 5, arbitrary: interestingArgument },
            tie("call"),
          ),
          { minLength: 4, maxLength: 4 },
        ),
        fc.nat(9),
      )
      .map(([{ name, arity }, pool, expand]) => {
        const args = Array.from({ length: arity }, (_, k) => pool[k % pool.length]);
        return `${name}(${args.join(", ")}${expand === 0 && arity > 0 ? "..." : ""})`;
      }),
  })).call;
  return fc
    .array(/** @type {fc.Arbitrary<string>} */ (call), { minLength: 1, maxLength: 6 })
    .map((calls) => calls.map((c, k) => `v${k} = ${c}\n`).join(""));
}

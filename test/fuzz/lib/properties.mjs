/**
 * The properties every input must satisfy, checked by `checkInput`. An input is one file's text; it is fed
 * to every loaded target (engine.mjs). Properties:
 *
 *  - throw:<target>      no entry point throws, whatever the input (user input never throws);
 *  - slow                one input, all targets together, takes at most `slowMs` (1 s);
 *  - fmt-broke-parse     when formatHCL accepts x, its output parses without errors;
 *  - fmt-not-idempotent  when formatHCL accepts x, fmt(fmt(x)) === fmt(x);
 *  - fmt-changed-tokens  when formatHCL accepts x, fmt(x) has the same non-newline tokens as x (type and text);
 *  (the three fmt properties skip the one input class where Packer's formatter breaks them too: see
 *  spacedDotAfterNumber);
 *  - valid-rejected      an input the generator built as valid HCL parses without errors.
 *
 * A failure is returned, never thrown, so the caller can shrink and minimize on it.
 */

const FILE = "fuzz.pkr.hcl";

/**
 * @typedef {object} Failure
 * @property {string} kind     one of the property names above
 * @property {string} message  what went wrong, with the exception's stack for throws
 */

/**
 * @typedef {object} CheckOptions
 * @property {number} [slowMs]      time limit for one input (default 1000)
 * @property {boolean} [mustParse]  the input was generated as valid HCL
 */

/**
 * Checks every property on `text`. Returns the first failure, or undefined.
 * @param {import("./engine.mjs").Engine} engine
 * @param {string} text
 * @param {CheckOptions} [options]
 * @returns {Failure | undefined}
 */
export function checkInput(engine, text, options = {}) {
  const slowMs = options.slowMs ?? 1000;
  const started = performance.now();
  const failure = checkAll(engine, text, options.mustParse === true);
  if (failure !== undefined) return failure;
  const elapsed = performance.now() - started;
  if (elapsed > slowMs) {
    return {
      kind: "slow",
      message: `took ${elapsed.toFixed(0)} ms (limit ${slowMs} ms) on ${text.length} chars`,
    };
  }
  return undefined;
}

/**
 * @param {import("./engine.mjs").Engine} engine
 * @param {string} text
 * @param {boolean} mustParse
 * @returns {Failure | undefined}
 */
function checkAll(engine, text, mustParse) {
  const fn = engine.fn;
  /** @type {Failure | undefined} */
  let failure;
  /**
   * Runs one target, turning a throw into a failure.
   * @template T
   * @param {string} name
   * @param {() => T} f
   * @returns {T | undefined}
   */
  const guard = (name, f) => {
    if (failure !== undefined) return undefined;
    try {
      return f();
    } catch (err) {
      failure = { kind: `throw:${name}`, message: describeError(err) };
      return undefined;
    }
  };

  const lexed = guard("lexConfig", () => fn.lexConfig(text, FILE));
  guard("lexTemplate", () => fn.lexTemplate(text, FILE));
  const parsed = guard("parseConfig", () => fn.parseConfig(text, FILE));
  const expr = guard("parseExpression", () => fn.parseExpression(text, FILE));
  const tmpl = guard("parseTemplate", () => fn.parseTemplate(text, FILE));
  if (failure !== undefined) return failure;

  /** @type {unknown[]} */
  const expressions = [expr.expression, tmpl.expression];
  collectBodyExpressions(parsed.body, expressions);
  for (const e of expressions) guard("variables", () => fn.variables(e));

  if (fn.evaluate !== undefined) {
    const ctx = evalContext(engine);
    for (const e of expressions) guard("evaluate", () => fn.evaluate(e, ctx));
    guard("evaluate", () => fn.evaluate(expr.expression, undefined));
  }
  if (fn.nativeBody !== undefined) {
    guard("nativeBody", () => exerciseBody(fn.nativeBody(parsed.body), evalContext(engine)));
  }
  if (fn.parseJSON !== undefined) {
    guard("parseJSON", () => {
      const r = fn.parseJSON(text, "fuzz.pkr.json");
      if (r?.body !== undefined) exerciseBody(r.body, evalContext(engine));
    });
  }
  if (failure !== undefined) return failure;

  if (mustParse && hasErrors(parsed.diagnostics)) {
    return {
      kind: "valid-rejected",
      message: `generated valid HCL rejected: ${firstError(parsed.diagnostics)}`,
    };
  }

  const once = guard("formatHCL", () => fn.formatHCL(text, FILE));
  if (failure !== undefined) return failure;
  if (hasErrors(once.diagnostics)) return undefined;
  const out = once.output;
  const twice = guard("formatHCL", () => fn.formatHCL(out, FILE));
  if (failure !== undefined) return failure;
  if (spacedDotAfterNumber(lexed.tokens)) return undefined;
  if (hasErrors(twice.diagnostics)) {
    return {
      kind: "fmt-broke-parse",
      message: `the formatted text does not parse: ${firstError(twice.diagnostics)}\n--- formatted ---\n${out}`,
    };
  }
  if (twice.output !== out) {
    return {
      kind: "fmt-not-idempotent",
      message: `fmt(fmt(x)) !== fmt(x)\n--- fmt(x) ---\n${JSON.stringify(out)}\n--- fmt(fmt(x)) ---\n${JSON.stringify(twice.output)}`,
    };
  }
  const relexed = guard("lexConfig", () => fn.lexConfig(out, FILE));
  if (failure !== undefined) return failure;
  const diff = firstTokenDifference(lexed.tokens, relexed.tokens);
  if (diff !== undefined) {
    return { kind: "fmt-changed-tokens", message: `${diff}\n--- fmt(x) ---\n${JSON.stringify(out)}` };
  }
  return undefined;
}

/**
 * The first difference between two token sequences, ignoring newlines (the formatter may only change the
 * space between tokens) and the end-of-file marker.

 * @param {readonly {type: string, bytes: string}[]} a
 * @param {readonly {type: string, bytes: string}[]} b
 * @returns {string | undefined}
 */
export function firstTokenDifference(a, b) {
  const keep = (/** @type {{type: string}} */ t) => t.type !== "Newline" && t.type !== "EOF";
  const x = a.filter(keep);
  const y = b.filter(keep);
  const n = Math.max(x.length, y.length);
  for (let i = 0; i < n; i++) {
    const p = x[i];
    const q = y[i];
    if (p === undefined || q === undefined || p.type !== q.type || p.bytes !== q.bytes) {
      const show = (/** @type {{type: string, bytes: string} | undefined} */ t) =>
        t === undefined ? "(none)" : `${t.type} ${JSON.stringify(t.bytes)}`;
      return `token ${i} differs: input has ${show(p)}, formatted has ${show(q)}`;
    }
  }
  return undefined;
}

/**
 * Whether a number literal, a `.` and another number literal follow each other with spaces somewhere between
 * them, as in `0 .0` or `1. 1` (a legacy index step on a number). `packer fmt` writes no space around such a
 * `.`, so it turns `0 .0` into `0.0`, `1. 1` into `1.1` and `1e0 .0` into `1e0.0`: a different token
 * sequence, and sometimes text that no longer parses. kiln's formatter does exactly the same on purpose (it
 * is byte-identical to Packer's), so the formatter properties skip such inputs.
 * @param {readonly {type: string, range: {start: {byte: number}, end: {byte: number}}}[]} tokens
 */
export function spacedDotAfterNumber(tokens) {
  for (let i = 0; i + 2 < tokens.length; i++) {
    const [t, u, v] = [tokens[i], tokens[i + 1], tokens[i + 2]];
    if (t?.type !== "NumberLit" || u?.type !== "Dot" || v?.type !== "NumberLit") continue;
    if (t.range.end.byte < u.range.start.byte || u.range.end.byte < v.range.start.byte) return true;
  }
  return false;
}

/**
 * Every attribute expression of a native-syntax body, nested blocks included.
 * @param {any} body
 * @param {unknown[]} out
 */
function collectBodyExpressions(body, out) {
  if (body === undefined || body === null) return;
  for (const attr of body.attributes.values()) out.push(attr.expr);
  for (const block of body.blocks) collectBodyExpressions(block.body, out);
}

/**
 * Reads a syntax-agnostic Body (decode/body.ts) every way: just attributes, then content and partial content
 * with a schema naming common Packer block types, evaluating every attribute found (with and without a
 * context) and listing its variables.
 * @param {any} body
 * @param {unknown} ctx
 */
function exerciseBody(body, ctx) {
  body.justAttributes();
  const schema = {
    attributes: [{ name: "a" }, { name: "name" }, { name: "image", required: true }],
    blocks: [
      { type: "source", labelNames: ["type", "name"] },
      { type: "build" },
      { type: "variable", labelNames: ["name"] },
      { type: "locals" },
      { type: "provisioner", labelNames: ["type"] },
    ],
  };
  body.content(schema);
  const { content, remain } = body.partialContent(schema);
  remain.justAttributes();
  for (const attr of content.attributes.values()) {
    attr.expr.value(ctx);
    attr.expr.value(undefined);
    attr.expr.variables();
  }
  for (const block of content.blocks) {
    const inner = block.body.justAttributes();
    for (const attr of inner.attributes.values()) {
      attr.expr.value(ctx);
      attr.expr.variables();
    }
  }
}

/** @type {WeakMap<object, unknown>} */
const contexts = new WeakMap();

/**
 * A context with the variable roots generated inputs refer to (var, local, source, path, each, count) holding
 * values of every kind: strings, numbers, bools, null, unknown, sensitive, lists, maps, objects, tuples; and
 * the functions the engine's rows contribute (engine.mjs).
 * @param {import("./engine.mjs").Engine} engine
 * @returns {unknown}
 */
export function evalContext(engine) {
  const cached = contexts.get(engine);
  if (cached !== undefined) return cached;
  const v = /** @type {any} */ (engine.modules["value/index.js"]);
  const str = v.stringVal;
  const num = v.numberIntVal;
  const list = v.listVal([str("a"), str("b"), str("c")]);
  const objs = v.tupleVal([
    v.objectVal({ name: str("x"), id: num(1), tags: v.mapVal({ k: str("v") }) }),
    v.objectVal({ name: str("y"), id: num(2), tags: v.mapVal({ k: str("w") }) }),
  ]);
  const vars = v.objectVal({
    s: str("hello wörld"),
    n: num(42),
    f: v.numberFloatVal(1.5),
    b: v.boolVal(true),
    l: list,
    m: v.mapVal({ a: str("1"), b: str("2") }),
    o: objs,
    secret: str("hunter2").mark(v.SENSITIVE ?? "sensitive"),
    u: v.unknownVal(v.stringType),
    dyn: v.dynamicVal,
    nul: v.nullVal(v.stringType),
    empty: v.emptyTupleVal,
  });
  const variables = new Map([
    ["var", vars],
    ["local", vars],
    ["source", v.objectVal({ name: str("ubuntu"), type: str("docker") })],
    ["path", v.objectVal({ root: str("/src"), cwd: str("/src") })],
    ["each", v.objectVal({ key: str("k"), value: num(3) })],
    ["count", v.objectVal({ index: num(0) })],
    ["x", num(7)],
    ["y", list],
  ]);
  const ctx = { variables, functions: engine.functions };
  contexts.set(engine, ctx);
  return ctx;
}

/** @param {readonly {severity: string}[]} diags */
function hasErrors(diags) {
  return diags.some((d) => d.severity === "error");
}

/** @param {readonly {severity: string, summary: string, detail?: string, subject?: any}[]} diags */
function firstError(diags) {
  const d = diags.find((x) => x.severity === "error");
  if (d === undefined) return "(none)";
  const at = d.subject?.start !== undefined ? ` at ${d.subject.start.line}:${d.subject.start.column}` : "";
  return `${d.summary}${at}: ${d.detail ?? ""}`;
}

/** @param {unknown} err */
export function describeError(err) {
  if (err instanceof Error) return err.stack ?? `${err.name}: ${err.message}`;
  return `non-Error thrown: ${String(err)}`;
}

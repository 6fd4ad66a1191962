/**
 * A loaded HCL2 configuration (Packer's hcl2template.Parser and PackerConfig), in Packer's three stages:
 *
 * 1. loadHCL2Config (Parser.Parse): find and parse the files, check `required_version`, check every file
 *    against the top-level schema, decode `required_plugins`, `variable(s)`, `data` and `local(s)` blocks, and
 *    assign variable values (defaults, PKR_VAR_*, var files, -var). This is all `validate -syntax-only`
 *    does; no component is needed.
 * 2. initialize (PackerConfig.Initialize): validate variable values, evaluate data sources and locals in
 *    dependency order (or in sequential phases), expand dynamic blocks, decode sources and builds, and check
 *    that every component type used is known.
 * 3. getBuilds (get-builds.ts): apply -only/-except and prepare every component.
 *
 * Diagnostics carry Packer's texts. The text of every file read is kept in `sources` for rendering them.
 */
import { dirname, normalize } from "node:path";
import {
  type Body,
  type BodySchema,
  canMapVal,
  type Diagnostic,
  type EvalContext,
  emptyObjectType,
  type FunctionTable,
  formatRange,
  type HclBlock,
  hasErrors,
  isValidIdentifier,
  mapVal,
  mergeBodies,
  NativeBody,
  nameSuggestion,
  objectVal,
  packerFunctions,
  SENSITIVE,
  type SyntaxBody,
  stringType,
  stringVal,
  variables as syntaxVariables,
  type Traversal,
  unknownVal,
  type Value,
  variableDefaultFunctions,
} from "../../hcl/index.js";
import { errorMessage, type Logger, noopLogger, type SecretFilter } from "../../sdk/index.js";
import { decodeBuildBlock } from "./build-block.js";
import type { ComponentCatalog } from "./catalog.js";
import {
  configSpecType,
  decodeComponentBody,
  revealForComponent,
  sensitiveStrings,
} from "./component-config.js";
import { expandDynamicBlocks } from "./dynamic-body.js";
import {
  findHCL2Files,
  HCL2_AUTO_VAR_FILE_EXT,
  HCL2_AUTO_VAR_JSON_FILE_EXT,
  HCL2_FILE_EXT,
  HCL2_JSON_FILE_EXT,
  parseConfigFile,
  type SourceFiles,
  statIsDir,
} from "./files.js";
import {
  checkCoreVersion,
  decodeRequiredPlugins,
  PACKER_BLOCK_SCHEMA,
  sniffCoreVersionRequirements,
} from "./packer-block.js";
import { expressionTraversals, orderPrereqs, type PrereqVertex, prereqReferences } from "./prereq-graph.js";
import { type SecretSink, secretRecordingFunctions } from "./secret-functions.js";
import { decodeExpression, decodeStruct } from "./struct-decode.js";
import type {
  BuildBlock,
  DatasourceBlock,
  LocalBlock,
  RequiredPlugin,
  RequiredVersion,
  SourceBlock,
} from "./types.js";
import {
  BAD_IDENTIFIER_DETAIL,
  collectInputVariableValues,
  decodeVariableBlock,
  decodeVariablesEntry,
  type Variables,
  validateVariable,
  variableValue,
  variableValues,
} from "./variables.js";

export const CONFIG_SCHEMA: BodySchema = {
  blocks: [
    { type: "packer" },
    { type: "source", labelNames: ["type", "name"] },
    { type: "variables" },
    { type: "variable", labelNames: ["name"] },
    { type: "locals" },
    { type: "local", labelNames: ["name"] },
    { type: "data", labelNames: ["type", "name"] },
    { type: "build" },
    { type: "hcp_packer_registry" },
    { type: "communicator", labelNames: ["type", "name"] },
  ],
};

const LOCAL_BLOCK_SCHEMA: BodySchema = { attributes: [{ name: "expression" }, { name: "sensitive" }] };

/** Where an expression is evaluated (Packer's BlockContext); `console` has no data sources. */
export type BlockContext = "input" | "local" | "build" | "datasource" | "console";

export interface LoadOptions {
  /** The template: a file or a directory ("" for none). */
  readonly path: string;
  /** -var-file values, in order. */
  readonly varFiles?: readonly string[];
  /** -var values. */
  readonly vars?: ReadonlyMap<string, string>;
  /** The environment (PKR_VAR_*, env()). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The working directory: path.cwd, and what relative paths are read against. */
  readonly cwd: string;
  /** The Packer version `required_version` is checked against and `packer.version` reads. */
  readonly coreVersion: string;
  /** Warn about var-file values for undeclared variables (validate does by default, build does not). */
  readonly warnOnUndeclaredVar?: boolean;
  /** When the run started (legacy_isotime); default now. */
  readonly startTime?: Date;
}

export interface LoadResult {
  /** Undefined when the files could not be found or parsed. */
  readonly config: HCL2Config | undefined;
  readonly diagnostics: Diagnostic[];
  /** The text of every file read, for rendering diagnostics. */
  readonly sources: SourceFiles;
}

export interface InitializeOptions {
  readonly catalog: ComponentCatalog;
  /** Give data sources unknown placeholders instead of running them (validate without -evaluate-datasources). */
  readonly skipDatasourcesExecution?: boolean;
  /** -use-sequential-evaluation: all data sources, then all locals, instead of the dependency graph. */
  readonly useSequentialEvaluation?: boolean;
  /** Where sensitive variable and local values are registered for redaction. */
  readonly secrets?: SecretFilter;
  readonly log?: Logger;
  readonly signal?: AbortSignal;
}

interface ParsedFile {
  readonly filename: string;
  readonly body: Body;
}

/** The value of an evaluated local. */
interface LocalValue {
  readonly value: Value;
}

export class HCL2Config {
  /** Every `required_version` constraint found. */
  readonly requiredVersions: RequiredVersion[] = [];
  /** Every `required_plugins` entry, by block, in order. */
  readonly requiredPlugins: RequiredPlugin[][] = [];
  readonly variables: Variables = new Map();
  readonly localBlocks: LocalBlock[] = [];
  readonly localValues = new Map<string, LocalValue>();
  /** Data blocks by `type.name`, in declaration order. */
  readonly datasources = new Map<string, DatasourceBlock>();
  /** Data source results (or placeholders) by `type.name`. */
  readonly datasourceValues = new Map<string, Value>();
  /** Source blocks by `type.name`. */
  readonly sources = new Map<string, SourceBlock>();
  readonly builds: BuildBlock[] = [];
  /** The top-level `hcp_packer_registry` block, if any (accepted; publishing is not supported). */
  hcpPackerRegistry: HclBlock | undefined;
  /** `hcp_packer_registry` blocks inside build blocks (a deprecated location). */
  readonly buildHcpPackerRegistries: HclBlock[] = [];
  /** The catalog given to initialize. */
  catalog: ComponentCatalog | undefined;
  readonly functions: FunctionTable;
  /** Where functions record secrets derived from sensitive values (the redactor given to initialize). */
  readonly secretSink: SecretSink = { filter: undefined };

  constructor(
    /** path.root: the template's directory as given (Go's filepath.Dir of a file). */
    readonly basedir: string,
    readonly cwd: string,
    readonly coreVersion: string,
    readonly env: Readonly<Record<string, string | undefined>>,
    readonly files: readonly ParsedFile[],
    readonly startTime: Date,
  ) {
    this.functions = secretRecordingFunctions(
      packerFunctions({ baseDir: basedir, cwd, startTime, env }),
      this.secretSink,
    );
  }

  /**
   * PluginRequirements: every `required_plugins` entry, each accessor once (a second block naming the same
   * accessor is an error).
   */
  pluginRequirements(): { requirements: RequiredPlugin[]; diagnostics: Diagnostic[] } {
    const requirements: RequiredPlugin[] = [];
    const diagnostics: Diagnostic[] = [];
    const seen = new Map<string, RequiredPlugin>();
    for (const block of this.requiredPlugins) {
      for (const p of block) {
        const previous = seen.get(p.accessor);
        if (previous !== undefined) {
          diagnostics.push({
            severity: "error",
            summary: `Duplicate required_plugin.${JSON.stringify(p.accessor)} block`,
            detail: `Block previously seen at ${formatRange(previous.declRange)} is already named ${JSON.stringify(p.accessor)}.\nNames at the left hand side of required_plugins are made available to use in your HCL2 configurations.\nTo allow to calling to their features correctly two plugins have to have different accessors.`,
            subject: p.declRange,
          });
          continue;
        }
        seen.set(p.accessor, p);
        requirements.push(p);
      }
    }
    return { requirements, diagnostics };
  }

  /**
   * GetHCPPackerRegistryBlock: the `hcp_packer_registry` block in force (top level, else the deprecated one
   * in the first build block), with the deprecation warning and the error for more than one.
   */
  hcpRegistryBlock(): { block: HclBlock | undefined; diagnostics: Diagnostic[] } {
    const diagnostics: Diagnostic[] = [];
    const multiple = (b: HclBlock): Diagnostic => ({
      severity: "error",
      summary: "Multiple HCP Packer registry block declaration",
      detail:
        "Multiple hcp_packer_registry blocks have been found, only one can be defined in HCL2 templates. Starting with Packer 1.12.1, it is recommended to move it to the top-level configuration instead of within a build block.",
      subject: b.defRange,
    });
    let block: HclBlock | undefined;
    for (const b of this.buildHcpPackerRegistries) {
      if (block !== undefined) {
        diagnostics.push(multiple(b));
        continue;
      }
      block = b;
      diagnostics.push({
        severity: "warning",
        summary: "Build block level hcp_packer_registry are deprecated",
        detail:
          "Starting with Packer 1.12.1, it is recommended to move it to the top-level configuration instead of within a build block.",
        subject: b.defRange,
      });
    }
    if (block !== undefined && this.hcpPackerRegistry !== undefined) diagnostics.push(multiple(block));
    if (this.hcpPackerRegistry !== undefined) block = this.hcpPackerRegistry;
    return { block, diagnostics };
  }

  /** The names of the sensitive input variables (packer_sensitive_variables). */
  sensitiveVariableNames(): string[] {
    return [...this.variables.values()].filter((v) => v.sensitive).map((v) => v.name);
  }

  /** The values of evaluated data sources as `data.<type>.<name>` sees them. */
  private datasourceObject(): Value {
    const byType = new Map<string, Map<string, Value>>();
    for (const [ref, value] of this.datasourceValues) {
      const ds = this.datasources.get(ref)!;
      let inner = byType.get(ds.type);
      if (inner === undefined) {
        inner = new Map();
        byType.set(ds.type, inner);
      }
      inner.set(ds.name, value);
    }
    const out = new Map<string, Value>();
    for (const [type, inner] of byType) {
      out.set(type, canMapVal(inner) ? mapVal(inner) : objectVal(inner));
    }
    return objectVal(out);
  }

  /** The EvalContext of a block context (PackerConfig.EvalContext), with `extra` variables on top. */
  evalContext(kind: BlockContext, extra?: ReadonlyMap<string, Value>): EvalContext {
    const locals = new Map<string, Value>();
    for (const [name, l] of this.localValues) locals.set(name, l.value);
    const vars = new Map<string, Value>([
      ["var", objectVal(variableValues(this.variables))],
      ["local", objectVal(locals)],
      ["source", objectVal({ type: unknownVal(stringType), name: unknownVal(stringType) })],
      ["build", unknownVal(emptyObjectType)],
      [
        "path",
        objectVal({
          cwd: stringVal(this.cwd.replaceAll("\\", "/")),
          root: stringVal(this.basedir.replaceAll("\\", "/")),
        }),
      ],
      [
        "packer",
        objectVal({
          version: stringVal(this.coreVersion),
          iterationID: unknownVal(stringType),
          versionFingerprint: unknownVal(stringType),
        }),
      ],
    ]);
    if (kind === "local" || kind === "build" || kind === "datasource")
      vars.set("data", this.datasourceObject());
    for (const [k, v] of extra ?? []) vars.set(k, v);
    return { variables: vars, functions: this.functions };
  }

  // -------------------------------------------------------------------------------------------------------
  // Stage 1 helpers (called by loadHCL2Config)

  decodeInputVariables(file: ParsedFile): Diagnostic[] {
    const diagnostics: Diagnostic[] = [];
    const { content } = file.body.content(CONFIG_SCHEMA);
    const ctx: EvalContext = { functions: variableDefaultFunctions(this.env) };
    for (const block of content.blocks) {
      if (block.type === "variable") {
        diagnostics.push(...decodeVariableBlock(this.variables, block, ctx));
      } else if (block.type === "variables") {
        const attrs = block.body.justAttributes();
        diagnostics.push(...attrs.diagnostics);
        for (const attr of attrs.attributes.values()) {
          diagnostics.push(...decodeVariablesEntry(this.variables, attr, ctx));
        }
      }
    }
    return diagnostics;
  }

  decodeDatasources(file: ParsedFile): Diagnostic[] {
    const diagnostics: Diagnostic[] = [];
    const { content } = file.body.content(CONFIG_SCHEMA);
    for (const block of content.blocks) {
      if (block.type !== "data") continue;
      const [type, name] = block.labels as [string, string];
      const more: Diagnostic[] = [];
      if (!isValidIdentifier(type)) {
        more.push({
          severity: "error",
          summary: "Invalid data source name",
          detail: BAD_IDENTIFIER_DETAIL,
          subject: block.labelRanges[0]!,
        });
      }
      if (!isValidIdentifier(name)) {
        more.push({
          severity: "error",
          summary: "Invalid data resource name",
          detail: BAD_IDENTIFIER_DETAIL,
          subject: block.labelRanges[1]!,
        });
      }
      diagnostics.push(...more);
      if (hasErrors(more)) continue;
      const ref = `${type}.${name}`;
      const existing = this.datasources.get(ref);
      if (existing !== undefined) {
        diagnostics.push({
          severity: "error",
          summary: "Duplicate data block",
          detail: `This data block has the same data type and name as a previous block declared at ${formatRange(existing.block.defRange)}. Each data must have a unique name per builder type.`,
          subject: block.defRange,
        });
        continue;
      }
      this.datasources.set(ref, { type, name, block });
    }
    return diagnostics;
  }

  decodeLocals(file: ParsedFile): Diagnostic[] {
    const diagnostics: Diagnostic[] = [];
    const { content } = file.body.content(CONFIG_SCHEMA);
    for (const block of content.blocks) {
      if (block.type === "local") {
        const name = block.labels[0]!;
        const c = block.body.content(LOCAL_BLOCK_SCHEMA);
        const more = [...c.diagnostics];
        if (!isValidIdentifier(name)) {
          more.push({
            severity: "error",
            summary: "Invalid local name",
            detail: BAD_IDENTIFIER_DETAIL,
            subject: block.labelRanges[0]!,
          });
        }
        let sensitive = false;
        const s = c.content.attributes.get("sensitive");
        if (s !== undefined) {
          const r = decodeExpression(s.expr, undefined, "bool");
          more.push(...r.diagnostics);
          sensitive = r.value === true;
        }
        const expr = c.content.attributes.get("expression");
        if (expr === undefined) {
          more.push({
            severity: "error",
            summary: "Missing required argument",
            detail: 'The argument "expression" is required, but no definition was found.',
            subject: block.body.missingItemRange(),
          });
        }
        diagnostics.push(...more);
        // As Packer: an error in a local block stops reading this file's locals.
        if (hasErrors(more)) return diagnostics;
        this.localBlocks.push({ name, expr: expr?.expr, sensitive, range: block.defRange });
      } else if (block.type === "locals") {
        const attrs = block.body.justAttributes();
        diagnostics.push(...attrs.diagnostics);
        for (const attr of attrs.attributes.values()) {
          this.localBlocks.push({ name: attr.name, expr: attr.expr, sensitive: false, range: attr.range });
        }
      }
    }
    return diagnostics;
  }

  checkDuplicateLocals(): Diagnostic[] {
    const diagnostics: Diagnostic[] = [];
    const seen = new Map<string, LocalBlock>();
    for (const l of this.localBlocks) {
      const other = seen.get(l.name);
      if (other !== undefined) {
        const otherRange = other.expr?.range ?? other.range;
        diagnostics.push({
          severity: "error",
          summary: "Duplicate local definition",
          detail: `Local variable "${l.name}" is defined twice in your templates. Other definition found at "${formatRange(otherRange)}"`,
          subject: l.expr?.range ?? l.range,
        });
        continue;
      }
      seen.set(l.name, l);
    }
    return diagnostics;
  }

  // -------------------------------------------------------------------------------------------------------
  // Stage 2: Initialize

  async initialize(options: InitializeOptions): Promise<Diagnostic[]> {
    this.catalog = options.catalog;
    this.secretSink.filter = options.secrets;
    const diagnostics: Diagnostic[] = [];
    const validationFunctions = secretRecordingFunctions(
      packerFunctions({ baseDir: "", cwd: this.cwd, startTime: this.startTime, env: this.env }),
      this.secretSink,
    );
    for (const v of this.variables.values()) diagnostics.push(...validateVariable(v, validationFunctions));

    if (options.useSequentialEvaluation === true) {
      diagnostics.push(...(await this.evaluateSequentially(options)));
    } else {
      diagnostics.push(...(await this.evaluateBuildPrereqs(options)));
    }

    // Sensitive values are registered for redaction before anything can print them.
    if (options.secrets !== undefined) {
      for (const v of this.variables.values()) {
        if (!v.sensitive) continue;
        const found = sensitiveStrings(variableValue(v));
        if (found.length > 0) options.secrets.add(...found);
      }
      for (const l of this.localValues.values()) {
        const found = sensitiveStrings(l.value);
        if (found.length > 0) options.secrets.add(...found);
      }
    }

    for (const file of this.files) diagnostics.push(...this.parseConfig(file));
    diagnostics.push(...this.initializeBlocks(options.catalog));
    return diagnostics;
  }

  /** The references a data block's body makes (GetVarsByType: every attribute, nested blocks too). */
  private datasourceTraversals(ds: DatasourceBlock): Traversal[] {
    const body = ds.block.body;
    if (body instanceof NativeBody) {
      const out: Traversal[] = [];
      const walk = (b: SyntaxBody): void => {
        for (const attr of b.attributes.values()) out.push(...syntaxVariables(attr.expr));
        for (const blk of b.blocks) walk(blk.body);
      };
      walk(body.syntax);
      return out;
    }
    return expressionTraversals([...body.justAttributes().attributes.values()].map((a) => a.expr));
  }

  private localDependencies(l: LocalBlock): string[] {
    return l.expr === undefined ? [] : prereqReferences(l.expr.variables());
  }

  private async evaluateBuildPrereqs(options: InitializeOptions): Promise<Diagnostic[]> {
    type Item = { kind: "data"; ds: DatasourceBlock } | { kind: "local"; local: LocalBlock };
    const vertices: PrereqVertex<Item>[] = [];
    for (const [ref, ds] of this.datasources) {
      vertices.push({
        ref: `data.${ref}`,
        displayName: ref,
        dependencies: prereqReferences(this.datasourceTraversals(ds)),
        range: ds.block.defRange,
        item: { kind: "data", ds },
      });
    }
    for (const local of this.localBlocks) {
      vertices.push({
        ref: `local.${local.name}`,
        displayName: `local.${local.name}`,
        dependencies: this.localDependencies(local),
        range: local.range,
        item: { kind: "local", local },
      });
    }
    const graph = orderPrereqs(vertices);
    if (!graph.ok) return [graph.diagnostic];
    for (const v of graph.order) {
      const diags =
        v.item.kind === "data"
          ? await this.evaluateDatasource(v.item.ds, options)
          : this.evaluateLocal(v.item.local);
      if (hasErrors(diags)) return diags;
    }
    return [];
  }

  /** -use-sequential-evaluation: every data source (recursively after the ones it uses), then every local. */
  private async evaluateSequentially(options: InitializeOptions): Promise<Diagnostic[]> {
    const diagnostics: Diagnostic[] = [];
    const pending = new Map<string, string[]>();
    for (const [ref, ds] of this.datasources) {
      const deps = prereqReferences(this.datasourceTraversals(ds))
        .filter((d) => d.startsWith("data."))
        .map((d) => d.slice("data.".length));
      pending.set(ref, deps);
    }
    const seenSummaries = new Set<string>();
    const evaluate = async (ref: string, depth: number): Promise<Diagnostic[]> => {
      const ds = this.datasources.get(ref)!;
      if (depth > 10) {
        return [
          {
            severity: "error",
            summary: "Max datasource recursion depth exceeded.",
            detail:
              "An error occured while recursively evaluating data sources. Either your data source depends on more than ten other data sources, or your data sources have a cyclic dependency. Please simplify your config to continue. ",
            subject: ds.block.defRange,
          },
        ];
      }
      const out: Diagnostic[] = [];
      let d = depth;
      for (const dep of pending.get(ref) ?? []) {
        if (!pending.has(dep)) continue;
        d += 1;
        const more = await evaluate(dep, d);
        out.push(...more);
        if (hasErrors(more)) return out;
      }
      const more = await this.evaluateDatasource(ds, options);
      out.push(...more);
      if (!hasErrors(more)) pending.delete(ref);
      return out;
    };
    for (const ref of [...pending.keys()]) {
      if (!pending.has(ref)) continue;
      for (const diag of await evaluate(ref, 0)) {
        if (seenSummaries.has(diag.summary)) continue;
        seenSummaries.add(diag.summary);
        diagnostics.push(diag);
      }
    }

    const evaluated = new Set<string>();
    const evalLocal = (l: LocalBlock, depth: number): Diagnostic[] => {
      if (evaluated.has(l.name)) return [];
      if (depth >= 10) {
        return [
          {
            severity: "error",
            summary: "Max local recursion depth exceeded.",
            detail:
              "An error occured while recursively evaluating locals.Your local variables likely have a cyclic dependency. Please simplify your config to continue. ",
          },
        ];
      }
      const out: Diagnostic[] = [];
      for (const dep of this.localDependencies(l).filter((x) => x.startsWith("local."))) {
        const name = dep.slice("local.".length);
        const target = this.localBlocks.find((b) => b.name === name);
        if (target === undefined) {
          out.push({
            severity: "error",
            summary: "failed to get local variable",
            detail: `While evaluating "local.${l.name}", its dependency "${dep}" was not found, is it defined?`,
          });
          return out;
        }
        out.push(...evalLocal(target, depth + 1));
      }
      evaluated.add(l.name);
      out.push(...this.evaluateLocal(l));
      return out;
    };
    for (const l of this.localBlocks) diagnostics.push(...evalLocal(l, 0));
    return diagnostics;
  }

  private evaluateLocal(local: LocalBlock): Diagnostic[] {
    if (local.expr === undefined) return [];
    const r = local.expr.value(this.evalContext("local"));
    if (hasErrors(r.diagnostics)) return r.diagnostics;
    this.localValues.set(local.name, { value: local.sensitive ? r.value.mark(SENSITIVE) : r.value });
    return r.diagnostics;
  }

  private async evaluateDatasource(ds: DatasourceBlock, options: InitializeOptions): Promise<Diagnostic[]> {
    const ref = `${ds.type}.${ds.name}`;
    const block = ds.block;
    const factory = options.catalog.datasources.get(ds.type);
    if (factory === undefined) {
      return [
        {
          severity: "error",
          summary: `Unknown data type ${ds.type}`,
          detail: `known data sources: [${options.catalog.datasources.types().join(" ")}]`,
          subject: block.labelRanges[0]!,
        },
      ];
    }
    const datasource = factory();
    const decoded = decodeComponentBody(block.body, datasource.configSpec(), this.evalContext("datasource"));
    const diagnostics = [...decoded.diagnostics];
    if (hasErrors(diagnostics)) return diagnostics;
    const configured = datasource.configure(revealForComponent(decoded.value, options.secrets));
    for (const d of configured.diagnostics) {
      diagnostics.push(d.subject !== undefined ? d : { ...d, subject: block.defRange });
    }
    if (hasErrors(diagnostics)) return diagnostics;
    if (options.skipDatasourcesExecution === true) {
      this.datasourceValues.set(ref, unknownVal(configSpecType(datasource.outputSpec())));
      return diagnostics;
    }
    try {
      const log = options.log ?? noopLogger;
      const value = await datasource.execute(options.signal ?? new AbortController().signal, {
        log: log.child(`packer-datasource-${ds.type} plugin: `),
        secrets: options.secrets ?? { add() {} },
      });
      this.datasourceValues.set(ref, value);
    } catch (err) {
      diagnostics.push({ severity: "error", summary: errorMessage(err), subject: block.defRange });
    }
    return diagnostics;
  }

  /** parseConfig: sources, builds and the HCP registry block of one file, with dynamic blocks expanded. */
  private parseConfig(file: ParsedFile): Diagnostic[] {
    const body = expandDynamicBlocks(file.body, this.evalContext("datasource"));
    const { content, diagnostics } = body.content(CONFIG_SCHEMA);
    for (const block of content.blocks) {
      switch (block.type) {
        case "hcp_packer_registry": {
          if (this.hcpPackerRegistry !== undefined) {
            diagnostics.push({
              severity: "error",
              summary: "Only one hcp_packer_registry is allowed",
              subject: block.defRange,
            });
            continue;
          }
          const more = this.decodeHCPRegistry(block);
          diagnostics.push(...more);
          if (!hasErrors(more)) this.hcpPackerRegistry = block;
          break;
        }
        case "source": {
          const [type, name] = block.labels as [string, string];
          const ref = `${type}.${name}`;
          const existing = this.sources.get(ref);
          if (existing !== undefined) {
            diagnostics.push({
              severity: "error",
              summary: "Duplicate source block",
              detail: `This source block has the same builder type and name as a previous block declared at ${formatRange(existing.block.defRange)}. Each source must have a unique name per builder type.`,
              subject: block.defRange,
            });
            continue;
          }
          this.sources.set(ref, { type, name, block });
          break;
        }
        case "build": {
          const r = decodeBuildBlock(block, {
            localContext: this.evalContext("local"),
            buildContext: (name) =>
              this.evalContext("build", new Map([["build", objectVal({ name: stringVal(name) })]])),
            decodeRegistry: (b) => this.decodeHCPRegistry(b),
          });
          diagnostics.push(...r.diagnostics);
          if (r.build !== undefined && !hasErrors(r.diagnostics)) {
            this.builds.push(r.build);
            if (r.registry !== undefined) this.buildHcpPackerRegistries.push(r.registry);
          }
          break;
        }
        default:
          break;
      }
    }
    return diagnostics;
  }

  /** decodeHCPRegistry: checked as Packer does; kiln does not publish to HCP Packer. */
  private decodeHCPRegistry(block: HclBlock): Diagnostic[] {
    const r = decodeStruct(block.body, this.evalContext("build"), [
      { name: "bucket_name", kind: "string" },
      { name: "description", kind: "string" },
      { name: "labels", kind: "map(string)" },
      { name: "bucket_labels", kind: "map(string)" },
      { name: "build_labels", kind: "map(string)" },
      { name: "channels", kind: "list(string)" },
    ]);
    const diagnostics = r.diagnostics;
    if (hasErrors(diagnostics)) return diagnostics;
    const description = (r.values.get("description") as string | undefined) ?? "";
    if (description.length > 255) {
      diagnostics.push({
        severity: "error",
        summary: "hcp_packer_registry.description should have a maximum length of 255 characters",
        subject: block.defRange,
      });
      return diagnostics;
    }
    const bucket = (r.values.get("bucket_name") as string | undefined) ?? "";
    if (bucket !== "" && !/^[a-zA-Z0-9-]{3,36}$/.test(bucket)) {
      diagnostics.push({
        severity: "error",
        summary:
          "hcp_packer_registry.bucket_name can only contain between 3 and 36 ASCII letters, numbers and hyphens",
        subject: block.defRange,
      });
    }
    const labels = (r.values.get("labels") as Map<string, string> | undefined) ?? new Map();
    const bucketLabels = (r.values.get("bucket_labels") as Map<string, string> | undefined) ?? new Map();
    if (labels.size > 0 && bucketLabels.size > 0) {
      diagnostics.push({
        severity: "error",
        summary:
          "hcp_packer_registry.labels and hcp_packer_registry.bucket_labels are mutually exclusive; please use the recommended argument hcp_packer_registry.bucket_labels",
        subject: block.defRange,
      });
      return diagnostics;
    }
    if (labels.size > 0) {
      diagnostics.push({
        severity: "warning",
        summary:
          "the argument hcp_packer_registry.labels has been deprecated and will be removed in the next minor release; please use hcp_packer_registry.bucket_labels",
      });
    }
    return diagnostics;
  }

  /** initializeBlocks: every component type used must be known, every source used must be defined. */
  private initializeBlocks(catalog: ComponentCatalog): Diagnostic[] {
    const diagnostics: Diagnostic[] = [];
    const unknownDetail = (kind: string, type: string, known: readonly string[]): string => {
      const suggestion = nameSuggestion(type, known);
      if (suggestion !== "") return `Did you mean to use "${suggestion}"?`;
      return `The ${kind} ${type} is unknown by Packer, and is likely part of a plugin that is not installed.\nYou may find the needed plugin along with installation instructions documented on the Packer integrations page.\n\nhttps://developer.hashicorp.com/packer/integrations?filter=${type.split("-")[0]}`;
    };
    for (const build of this.builds) {
      for (const [i, use] of build.sources.entries()) {
        if (catalog.builders.get(use.type) === undefined) {
          diagnostics.push({
            severity: "error",
            summary: `Unknown source type ${use.type}`,
            detail: unknownDetail("source", use.type, catalog.builders.types()),
            subject: use.range ?? build.defRange,
          });
          continue;
        }
        const ref = `${use.type}.${use.name}`;
        const definition = this.sources.get(ref);
        if (definition === undefined) {
          const available = [...this.sources.keys()].sort();
          const suggestion = nameSuggestion(ref, available);
          diagnostics.push({
            severity: "error",
            summary: `Unknown source ${ref}`,
            detail:
              suggestion !== "" ? `Did you mean to use "${suggestion}"?` : `Known: [${available.join(" ")}]`,
            subject: use.range ?? build.defRange,
          });
          continue;
        }
        const body = definition.block.body;
        build.sources[i] = { ...use, body: use.body !== undefined ? mergeBodies([body, use.body]) : body };
      }
      for (const p of build.provisioners) {
        if (catalog.provisioners.get(p.type) !== undefined) continue;
        diagnostics.push({
          severity: "error",
          summary: `Unknown provisioner type "${p.type}"`,
          detail: unknownDetail("provisioner", p.type, catalog.provisioners.types()),
          subject: p.typeRange,
        });
      }
      const cleanup = build.errorCleanupProvisioner;
      if (cleanup !== undefined && catalog.provisioners.get(cleanup.type) === undefined) {
        diagnostics.push({
          severity: "error",
          summary: `Unknown error-cleanup-provisioner type "${cleanup.type}"`,
          detail: unknownDetail("error-cleanup-provisioner", cleanup.type, catalog.provisioners.types()),
          subject: cleanup.typeRange,
        });
      }
      for (const chain of build.postProcessorLists) {
        for (const pp of chain) {
          if (catalog.postProcessors.get(pp.type) !== undefined) continue;
          diagnostics.push({
            severity: "error",
            summary: `Unknown post-processor type "${pp.type}"`,
            detail: unknownDetail("post-processor", pp.type, catalog.postProcessors.types()),
            subject: pp.typeRange,
          });
        }
      }
    }
    return diagnostics;
  }
}

/** Go's filepath.Dir for the directory of a template file. */
function templateDir(path: string): string {
  const d = dirname(path);
  return d === "." ? "." : normalize(d).replace(/\/$/, "");
}

/** Parser.Parse: stage 1 of loading (see the module comment). */
export function loadHCL2Config(options: LoadOptions): LoadResult {
  const sources: SourceFiles = new Map();
  const diagnostics: Diagnostic[] = [];
  const files: ParsedFile[] = [];
  const { path, cwd } = options;

  if (path !== "") {
    const found = findHCL2Files(path, HCL2_FILE_EXT, HCL2_JSON_FILE_EXT, cwd);
    diagnostics.push(...found.diagnostics);
    if (hasErrors(found.diagnostics)) return { config: undefined, diagnostics, sources };
    if (found.hcl.length + found.json.length === 0) {
      diagnostics.push({
        severity: "error",
        summary: `Could not find any config file in ${path}`,
        detail: "A config file must be suffixed with `.pkr.hcl` or `.pkr.json`. A folder can be referenced.",
      });
    }
    for (const [list, json] of [
      [found.hcl, false],
      [found.json, true],
    ] as const) {
      for (const filename of list) {
        const r = parseConfigFile(filename, json, sources, cwd);
        diagnostics.push(...r.diagnostics);
        if (r.body !== undefined) files.push({ filename, body: r.body });
      }
    }
    if (hasErrors(diagnostics)) return { config: undefined, diagnostics, sources };
  }

  let basedir = path;
  const stat = statIsDir(path, cwd);
  if (!("error" in stat) && !stat.isDir) basedir = templateDir(path);

  const config = new HCL2Config(
    basedir,
    cwd,
    options.coreVersion,
    options.env,
    files,
    options.startTime ?? new Date(),
  );

  for (const file of files) {
    const r = sniffCoreVersionRequirements(file.body);
    config.requiredVersions.push(...r.constraints);
    diagnostics.push(...r.diagnostics);
  }
  const versionDiags = checkCoreVersion(config.requiredVersions, options.coreVersion);
  diagnostics.push(...versionDiags);
  if (hasErrors(versionDiags)) return { config, diagnostics, sources };

  for (const file of files) diagnostics.push(...file.body.content(CONFIG_SCHEMA).diagnostics);

  for (const file of files) {
    const { content } = file.body.content(CONFIG_SCHEMA);
    for (const block of content.blocks) {
      if (block.type !== "packer") continue;
      const c = block.body.content(PACKER_BLOCK_SCHEMA);
      diagnostics.push(...c.diagnostics);
      for (const inner of c.content.blocks) {
        if (inner.type !== "required_plugins") continue;
        const r = decodeRequiredPlugins(inner.body);
        diagnostics.push(...r.diagnostics);
        config.requiredPlugins.push(r.plugins);
      }
    }
  }

  for (const file of files) diagnostics.push(...config.decodeInputVariables(file));
  for (const file of files) diagnostics.push(...config.decodeDatasources(file));
  for (const file of files) diagnostics.push(...config.decodeLocals(file));
  diagnostics.push(...config.checkDuplicateLocals());

  // Variable files: the directory's auto files (HCL, then JSON), then -var-file in order.
  const auto = findHCL2Files(path, HCL2_AUTO_VAR_FILE_EXT, HCL2_AUTO_VAR_JSON_FILE_EXT, cwd);
  diagnostics.push(...auto.diagnostics);
  const varBodies: Body[] = [];
  for (const filename of [...auto.hcl, ...auto.json, ...(options.varFiles ?? [])]) {
    const ext = extname(filename);
    if (ext !== ".hcl" && ext !== ".json") {
      diagnostics.push({
        severity: "error",
        summary: `Could not guess format of ${filename}`,
        detail: "A var file must be suffixed with `.hcl` or `.json`.",
      });
      continue;
    }
    const r = parseConfigFile(filename, ext === ".json", sources, cwd);
    diagnostics.push(...r.diagnostics);
    if (hasErrors(r.diagnostics) || r.body === undefined) continue;
    varBodies.push(r.body);
  }
  diagnostics.push(
    ...collectInputVariableValues(config.variables, {
      env: options.env,
      varFiles: varBodies,
      argVars: options.vars ?? new Map(),
      warnOnUndeclaredVar: options.warnOnUndeclaredVar ?? false,
    }),
  );

  return { config, diagnostics, sources };
}

/** Go's filepath.Ext. */
function extname(path: string): string {
  for (let i = path.length - 1; i >= 0 && path[i] !== "/"; i--) {
    if (path[i] === ".") return path.slice(i);
  }
  return "";
}

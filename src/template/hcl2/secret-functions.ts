/**
 * Function results computed from secrets are secrets too. The sensitive mark already follows a value through
 * every function, but once a marked result is spliced into a bigger string (`"echo ${upper(var.token)}"`) the
 * redactor only knows the whole string, while a script prints just the part. So every function of a
 * template's table is wrapped: when a call's result carries the sensitive mark, its string leaves are handed
 * to the secret filter as the call returns, and output that shows only the derived part is redacted as well.
 */
import {
  callFunction,
  dynamicType,
  FunctionArgError,
  FunctionError,
  type FunctionSpec,
  type FunctionTable,
  isExpressionFunction,
  type Parameter,
} from "../../hcl/index.js";
import type { SecretFilter } from "../../sdk/index.js";
import { sensitiveStrings } from "./component-config.js";

/** Where recorded secrets go; `filter` is set once the run's redactor is known. */
export interface SecretSink {
  filter: SecretFilter | undefined;
}

function passThrough(p: Parameter): Parameter {
  return { ...p, allowMarked: true, allowNull: true, allowUnknown: true, allowDynamicType: true };
}

function recording(name: string, spec: FunctionSpec, sink: SecretSink): FunctionSpec {
  return {
    ...(spec.description !== undefined ? { description: spec.description } : {}),
    params: spec.params.map(passThrough),
    ...(spec.varParam !== undefined ? { varParam: passThrough(spec.varParam) } : {}),
    // The wrapped function decides the real type; the wrapper only forwards.
    type: () => dynamicType,
    impl: (args) => {
      const r = callFunction(spec, args);
      if (r.ok) {
        const filter = sink.filter;
        if (filter !== undefined && r.value.containsMarked()) {
          const found = sensitiveStrings(r.value);
          if (found.length > 0) filter.add(...found);
        }
        return r.value;
      }
      if (r.kind === "arg") throw new FunctionArgError(r.argIndex, r.message);
      if (r.kind === "call") throw new FunctionError(r.message);
      throw new FunctionError(`wrong number of arguments to ${name}`);
    },
  };
}

/**
 * `table` with every ordinary function recording its sensitive results in `sink`. Functions are wrapped on
 * first lookup, not up front: a template calls a handful of the hundred-odd functions, and wrapping them all
 * for every configuration is start-up time spent for nothing.
 */
export function secretRecordingFunctions(table: FunctionTable, sink: SecretSink): FunctionTable {
  return new RecordingTable(table, sink);
}

class RecordingTable implements ReadonlyMap<string, FunctionSpec> {
  private readonly wrapped = new Map<string, FunctionSpec>();

  constructor(
    private readonly table: FunctionTable,
    private readonly sink: SecretSink,
  ) {}

  get size(): number {
    return this.table.size;
  }

  has(name: string): boolean {
    return this.table.has(name);
  }

  get(name: string): FunctionSpec | undefined {
    const done = this.wrapped.get(name);
    if (done !== undefined) return done;
    const spec = this.table.get(name);
    if (spec === undefined) return undefined;
    const out = isExpressionFunction(spec) ? spec : recording(name, spec, this.sink);
    this.wrapped.set(name, out);
    return out;
  }

  *entries(): MapIterator<[string, FunctionSpec]> {
    for (const name of this.table.keys()) yield [name, this.get(name)!];
  }

  keys(): MapIterator<string> {
    return this.table.keys();
  }

  *values(): MapIterator<FunctionSpec> {
    for (const name of this.table.keys()) yield this.get(name)!;
  }

  [Symbol.iterator](): MapIterator<[string, FunctionSpec]> {
    return this.entries();
  }

  forEach(fn: (value: FunctionSpec, key: string, map: ReadonlyMap<string, FunctionSpec>) => void): void {
    for (const [name, spec] of this.entries()) fn(spec, name, this);
  }
}

/**
 * The manifest file (Packer's ManifestFile): `{"builds": [...], "last_run_uuid": "..."}`, read the way Go's
 * json.Unmarshal fills the structs (unknown keys ignored, keys matched without regard to case, null leaves a
 * field as it was, a value of the wrong type is an error) and written as json.MarshalIndent writes them.
 */
import { type GoJson, marshalIndent, sortedMap } from "./go-json.js";
import { goJsonSyntaxError } from "./go-json-syntax.js";

export interface ManifestArtifactFile {
  name: string;
  size: number;
}

/** One build's entry; fields in Go's struct order. */
export interface ManifestArtifact {
  name: string;
  builder_type: string;
  /** Left out when 0 (omitempty), as with strip_time. */
  build_time: number;
  /** null when the artifact has no files (Go's nil slice). */
  files: ManifestArtifactFile[] | null;
  artifact_id: string;
  packer_run_uuid: string;
  custom_data: Record<string, string> | null;
}

export interface ManifestFile {
  builds: ManifestArtifact[] | null;
  last_run_uuid: string;
}

export function emptyManifest(): ManifestFile {
  return { builds: null, last_run_uuid: "" };
}

export function emptyArtifact(): ManifestArtifact {
  return {
    name: "",
    builder_type: "",
    build_time: 0,
    files: null,
    artifact_id: "",
    packer_run_uuid: "",
    custom_data: null,
  };
}

export function marshalManifest(m: ManifestFile): string {
  const builds: GoJson =
    m.builds === null
      ? null
      : m.builds.map((a) => {
          const entry: { [key: string]: GoJson } = { name: a.name, builder_type: a.builder_type };
          if (a.build_time !== 0) entry.build_time = a.build_time;
          entry.files = a.files === null ? null : a.files.map((f) => ({ name: f.name, size: f.size }));
          entry.artifact_id = a.artifact_id;
          entry.packer_run_uuid = a.packer_run_uuid;
          entry.custom_data = a.custom_data === null ? null : sortedMap(a.custom_data);
          return entry;
        });
  return marshalIndent({ builds, last_run_uuid: m.last_run_uuid });
}

type Json = null | string | number | boolean | Json[] | { [key: string]: Json };

/** What Go's UnmarshalTypeError calls the JSON value (a number that is not an integer shows itself). */
function jsonKind(v: Json): string {
  if (v === null) return "null";
  if (typeof v === "number") return Number.isInteger(v) ? "number" : `number ${v}`;
  if (Array.isArray(v)) return "array";
  if (typeof v === "object") return "object";
  return typeof v;
}

/**
 * Parses a manifest file. Resolves to the manifest, or to the error text Go's json.Unmarshal would give.
 * Like Go, a type error does not stop the decoding of other fields, but it is what is reported.
 */
export function parseManifest(
  text: string,
): { readonly manifest: ManifestFile } | { readonly error: string } {
  const syntax = goJsonSyntaxError(text);
  if (syntax !== undefined) return { error: syntax };
  const doc = JSON.parse(text) as Json;
  const errors: string[] = [];
  const fail = (value: Json, struct: string, field: string, type: string): void => {
    errors.push(
      `json: cannot unmarshal ${jsonKind(value)} into Go struct field ${struct}.${field} of type ${type}`,
    );
  };
  const manifest = emptyManifest();
  if (doc === null) return { manifest };
  if (typeof doc !== "object" || Array.isArray(doc)) {
    return { error: `json: cannot unmarshal ${jsonKind(doc)} into Go value of type manifest.ManifestFile` };
  }
  for (const [key, value] of fields(doc, ["builds", "last_run_uuid"])) {
    if (key === "last_run_uuid") {
      if (typeof value === "string") manifest.last_run_uuid = value;
      else if (value !== null) fail(value, "ManifestFile", "last_run_uuid", "string");
    } else if (value === null) {
      manifest.builds = null;
    } else if (!Array.isArray(value)) {
      fail(value, "ManifestFile", "builds", "[]manifest.Artifact");
    } else {
      manifest.builds = value.map((v) => decodeArtifact(v, fail));
    }
  }
  const first = errors[0];
  return first !== undefined ? { error: first } : { manifest };
}

type Fail = (value: Json, struct: string, field: string, type: string) => void;

function decodeArtifact(v: Json, fail: Fail): ManifestArtifact {
  const a = emptyArtifact();
  if (v === null) return a;
  if (typeof v !== "object" || Array.isArray(v)) {
    fail(v, "ManifestFile", "builds", "manifest.Artifact");
    return a;
  }
  const names = [
    "name",
    "builder_type",
    "build_time",
    "files",
    "artifact_id",
    "packer_run_uuid",
    "custom_data",
  ];
  for (const [key, value] of fields(v, names)) {
    const path = `builds.${key}`;
    switch (key) {
      case "name":
      case "builder_type":
      case "artifact_id":
      case "packer_run_uuid":
        if (typeof value === "string") a[key] = value;
        else if (value !== null) fail(value, "Artifact", path, "string");
        break;
      case "build_time":
        if (typeof value === "number" && Number.isInteger(value)) a.build_time = value;
        else if (value !== null) fail(value, "Artifact", path, "int64");
        break;
      case "files":
        if (value === null) a.files = null;
        else if (!Array.isArray(value)) fail(value, "Artifact", path, "[]manifest.ArtifactFile");
        else a.files = value.map((f) => decodeFile(f, fail));
        break;
      case "custom_data":
        if (value === null) a.custom_data = null;
        else if (typeof value !== "object" || Array.isArray(value)) {
          fail(value, "Artifact", path, "map[string]string");
        } else {
          const m: Record<string, string> = a.custom_data ?? {};
          for (const [k, e] of Object.entries(value)) {
            if (typeof e === "string") {
              Object.defineProperty(m, k, { value: e, enumerable: true, writable: true, configurable: true });
            } else if (e !== null) fail(e, "Artifact", path, "string");
          }
          a.custom_data = m;
        }
        break;
    }
  }
  return a;
}

function decodeFile(v: Json, fail: Fail): ManifestArtifactFile {
  const f: ManifestArtifactFile = { name: "", size: 0 };
  if (v === null) return f;
  if (typeof v !== "object" || Array.isArray(v)) {
    fail(v, "Artifact", "builds.files", "manifest.ArtifactFile");
    return f;
  }
  for (const [key, value] of fields(v, ["name", "size"])) {
    if (key === "name") {
      if (typeof value === "string") f.name = value;
      else if (value !== null) fail(value, "ArtifactFile", "builds.files.name", "string");
    } else if (typeof value === "number" && Number.isInteger(value)) f.size = value;
    else if (value !== null) fail(value, "ArtifactFile", "builds.files.size", "int64");
  }
  return f;
}

/**
 * The object's entries that name a struct field, with the field's name: an exact match, else one that
 * differs only in case (Go's rule). Later keys overwrite earlier ones, as Go decodes in order.
 */
function fields(obj: { [key: string]: Json }, names: readonly string[]): [string, Json][] {
  const out: [string, Json][] = [];
  for (const [key, value] of Object.entries(obj)) {
    const field = names.includes(key) ? key : names.find((n) => n.toLowerCase() === key.toLowerCase());
    if (field !== undefined) out.push([field, value]);
  }
  return out;
}

/**
 * A JSON tokenizer that behaves like Go's encoding/json Decoder in UseNumber mode (Token, More and Decode
 * into a raw message), including its error messages ("invalid character 'x' looking for beginning of
 * value", "EOF", "unexpected EOF"), because cty's json package — and so HCL's jsondecode — is written on
 * top of it and users see those messages. Also Go's JSON string encoding (HTML-safe escapes).
 *
 * Errors are thrown as GoJSONError and caught by json.ts; they never escape the package.
 */

export class GoJSONError extends Error {
  override readonly name = "GoJSONError";
}

export type GoToken =
  | { readonly kind: "delim"; readonly delim: "[" | "]" | "{" | "}" }
  | { readonly kind: "string"; readonly value: string }
  | { readonly kind: "number"; readonly text: string }
  | { readonly kind: "bool"; readonly value: boolean }
  | { readonly kind: "null" };

type TokenState =
  | "topValue"
  | "arrayStart"
  | "arrayValue"
  | "arrayComma"
  | "objectStart"
  | "objectKey"
  | "objectColon"
  | "objectValue"
  | "objectComma";

function isSpace(c: string): boolean {
  return c === " " || c === "\t" || c === "\r" || c === "\n";
}

const utf8 = new TextEncoder();

/** Go's quoteChar for a byte in an error message; for non-ASCII text Go sees the first UTF-8 byte. */
function quoteChar(ch: string): string {
  if (ch === "'") return "'\\''";
  if (ch === '"') return "'\"'";
  let c = ch.charCodeAt(0);
  if (c >= 0x80) c = utf8.encode(ch)[0] ?? 0xef;
  // strconv.Quote(string(rune(c))) without its double quotes.
  if (c === 0x5c) return "'\\\\'";
  if (c === 0x07) return "'\\a'";
  if (c === 0x08) return "'\\b'";
  if (c === 0x0c) return "'\\f'";
  if (c === 0x0a) return "'\\n'";
  if (c === 0x0d) return "'\\r'";
  if (c === 0x09) return "'\\t'";
  if (c === 0x0b) return "'\\v'";
  if (c < 0x20 || c === 0x7f) return `'\\x${c.toString(16).padStart(2, "0")}'`;
  if (c >= 0x80 && c < 0xa0) return `'\\u${c.toString(16).padStart(4, "0")}'`;
  if (c === 0xad) return "'\\u00ad'";
  return `'${String.fromCharCode(c)}'`;
}

function syntaxError(ch: string, context: string): GoJSONError {
  return new GoJSONError(`invalid character ${quoteChar(ch)} ${context}`);
}

/**
 * Scans one JSON value starting at `start` (leading whitespace allowed) like Go's scanner driven by
 * Decoder.readValue, returning the index just past the value. Throws Go's syntax errors, or
 * "unexpected EOF" when the input ends inside the value.
 */
function scanValue(s: string, start: number): number {
  let i = start;
  const eof = () => i >= s.length;
  const unexpectedEOF = () => new GoJSONError("unexpected EOF");

  const skipSpace = () => {
    while (!eof() && isSpace(s[i]!)) i++;
  };

  // Scans a value; containers check the byte after each element, while after a top-level scalar anything
  // may follow (Go's decoder reports that later, e.g. as "extraneous data").
  const scanOne = (): void => {
    skipSpace();
    if (eof()) throw unexpectedEOF();
    const c = s[i]!;
    if (c === "{") {
      i++;
      skipSpace();
      if (eof()) throw unexpectedEOF();
      if (s[i] === "}") {
        i++;
        return;
      }
      for (;;) {
        skipSpace();
        if (eof()) throw unexpectedEOF();
        if (s[i] !== '"') throw syntaxError(s[i]!, "looking for beginning of object key string");
        scanString();
        skipSpace();
        if (eof()) throw unexpectedEOF();
        if (s[i] !== ":") throw syntaxError(s[i]!, "after object key");
        i++;
        scanOne();
        skipSpace();
        if (eof()) throw unexpectedEOF();
        if (s[i] === ",") {
          i++;
          continue;
        }
        if (s[i] === "}") {
          i++;
          return;
        }
        throw syntaxError(s[i]!, "after object key:value pair");
      }
    }
    if (c === "[") {
      i++;
      skipSpace();
      if (eof()) throw unexpectedEOF();
      if (s[i] === "]") {
        i++;
        return;
      }
      for (;;) {
        scanOne();
        skipSpace();
        if (eof()) throw unexpectedEOF();
        if (s[i] === ",") {
          i++;
          continue;
        }
        if (s[i] === "]") {
          i++;
          return;
        }
        throw syntaxError(s[i]!, "after array element");
      }
    }
    if (c === '"') {
      scanString();
      return;
    }
    if (c === "-" || (c >= "0" && c <= "9")) {
      scanNumber();
      return;
    }
    const word = c === "t" ? "true" : c === "f" ? "false" : c === "n" ? "null" : undefined;
    if (word !== undefined) {
      scanLiteral(word);
      return;
    }
    throw syntaxError(c, "looking for beginning of value");
  };

  const scanString = (): void => {
    i++; // opening quote
    for (;;) {
      if (eof()) throw unexpectedEOF();
      const c = s[i]!;
      if (c === '"') {
        i++;
        return;
      }
      if (c === "\\") {
        i++;
        if (eof()) throw unexpectedEOF();
        const e = s[i]!;
        if ('bfnrt\\/"'.includes(e)) {
          i++;
          continue;
        }
        if (e === "u") {
          i++;
          for (let k = 0; k < 4; k++) {
            if (eof()) throw unexpectedEOF();
            if (!/[0-9a-fA-F]/.test(s[i]!)) throw syntaxError(s[i]!, "in \\u hexadecimal character escape");
            i++;
          }
          continue;
        }
        throw syntaxError(e, "in string escape code");
      }
      if (c.charCodeAt(0) < 0x20) throw syntaxError(c, "in string literal");
      i++;
    }
  };

  // Numbers and literals end at the first byte that can't continue them; at end of input Go feeds a space.
  const scanNumber = (): void => {
    if (s[i] === "-") {
      i++;
      if (eof()) throw unexpectedEOF();
      if (!(s[i]! >= "0" && s[i]! <= "9")) throw syntaxError(s[i]!, "in numeric literal");
    }
    if (s[i] === "0") i++;
    else while (!eof() && s[i]! >= "0" && s[i]! <= "9") i++;
    if (!eof() && s[i] === ".") {
      i++;
      if (eof()) throw unexpectedEOF();
      if (!(s[i]! >= "0" && s[i]! <= "9")) throw syntaxError(s[i]!, "after decimal point in numeric literal");
      while (!eof() && s[i]! >= "0" && s[i]! <= "9") i++;
    }
    if (!eof() && (s[i] === "e" || s[i] === "E")) {
      i++;
      if (!eof() && (s[i] === "+" || s[i] === "-")) i++;
      if (eof()) throw unexpectedEOF();
      if (!(s[i]! >= "0" && s[i]! <= "9")) throw syntaxError(s[i]!, "in exponent of numeric literal");
      while (!eof() && s[i]! >= "0" && s[i]! <= "9") i++;
    }
  };

  const scanLiteral = (word: string): void => {
    i++;
    for (let k = 1; k < word.length; k++) {
      if (eof()) throw unexpectedEOF();
      if (s[i] !== word[k]) throw syntaxError(s[i]!, `in literal ${word} (expecting '${word[k]}')`);
      i++;
    }
  };

  scanOne();
  return i;
}

/** Go's string unquoting: escapes resolved, unpaired surrogates become U+FFFD. */
function unquote(raw: string): string {
  let out = "";
  for (let i = 1; i < raw.length - 1; i++) {
    const c = raw[i]!;
    if (c !== "\\") {
      const code = c.charCodeAt(0);
      if (code >= 0xd800 && code <= 0xdbff) {
        const next = raw.charCodeAt(i + 1);
        if (next >= 0xdc00 && next <= 0xdfff) {
          out += c + raw[i + 1]!;
          i++;
          continue;
        }
        out += "\ufffd";
        continue;
      }
      if (code >= 0xdc00 && code <= 0xdfff) {
        out += "\ufffd";
        continue;
      }
      out += c;
      continue;
    }
    const e = raw[++i]!;
    switch (e) {
      case "b":
        out += "\b";
        break;
      case "f":
        out += "\f";
        break;
      case "n":
        out += "\n";
        break;
      case "r":
        out += "\r";
        break;
      case "t":
        out += "\t";
        break;
      case "u": {
        const cu = Number.parseInt(raw.slice(i + 1, i + 5), 16);
        i += 4;
        if (cu >= 0xd800 && cu <= 0xdbff) {
          if (raw[i + 1] === "\\" && raw[i + 2] === "u") {
            const lo = Number.parseInt(raw.slice(i + 3, i + 7), 16);
            if (lo >= 0xdc00 && lo <= 0xdfff) {
              out += String.fromCharCode(cu, lo);
              i += 6;
              break;
            }
          }
          out += "\ufffd";
          break;
        }
        if (cu >= 0xdc00 && cu <= 0xdfff) {
          out += "\ufffd";
          break;
        }
        out += String.fromCharCode(cu);
        break;
      }
      default:
        out += e; // \\ \/ \"
    }
  }
  return out;
}

/** Go's json.Decoder over a string, with UseNumber. */
export class GoJSONDecoder {
  private pos = 0;
  private state: TokenState = "topValue";
  private readonly stack: TokenState[] = [];
  private sticky: GoJSONError | undefined;

  constructor(private readonly text: string) {}

  /** The next non-space character without consuming it; throws "EOF" at the end. */
  private peek(): string {
    while (this.pos < this.text.length && isSpace(this.text[this.pos]!)) this.pos++;
    if (this.pos >= this.text.length) throw new GoJSONError("EOF");
    return this.text[this.pos]!;
  }

  private valueAllowed(): boolean {
    return (
      this.state === "topValue" ||
      this.state === "arrayStart" ||
      this.state === "arrayValue" ||
      this.state === "objectValue"
    );
  }

  private valueEnd(): void {
    if (this.state === "arrayStart" || this.state === "arrayValue") this.state = "arrayComma";
    else if (this.state === "objectValue") this.state = "objectComma";
  }

  private tokenError(c: string): GoJSONError {
    let context = "";
    switch (this.state) {
      case "topValue":
      case "arrayStart":
      case "arrayValue":
      case "objectValue":
        context = "looking for beginning of value";
        break;
      case "arrayComma":
        context = "after array element";
        break;
      case "objectKey":
        context = "looking for beginning of object key string";
        break;
      case "objectColon":
        context = "after object key";
        break;
      case "objectComma":
        context = "after object key:value pair";
        break;
      default:
        return new GoJSONError(`invalid character ${quoteChar(c)}`);
    }
    return syntaxError(c, context);
  }

  /** Reads one whole value (Go's readValue), returning its text. */
  private readValue(): string {
    if (this.sticky) throw this.sticky;
    try {
      const start = this.pos;
      const end = scanValue(this.text, start);
      this.pos = end;
      return this.text.slice(start, end).trimStart();
    } catch (e) {
      if (e instanceof GoJSONError) this.sticky = e;
      throw e;
    }
  }

  private prepareForDecode(): void {
    if (this.state === "arrayComma") {
      if (this.peek() !== ",") throw new GoJSONError("expected comma after array element");
      this.pos++;
      this.state = "arrayValue";
    } else if (this.state === "objectColon") {
      if (this.peek() !== ":") throw new GoJSONError("expected colon after object key");
      this.pos++;
      this.state = "objectValue";
    }
  }

  /** Go's Decode into json.RawMessage: the text of the next value. */
  decodeRaw(): string {
    this.prepareForDecode();
    if (!this.valueAllowed()) throw new GoJSONError("not at beginning of value");
    const raw = this.readValue();
    this.valueEnd();
    return raw;
  }

  /** Go's Decoder.Token. */
  token(): GoToken {
    for (;;) {
      const c = this.peek();
      switch (c) {
        case "[":
          if (!this.valueAllowed()) throw this.tokenError(c);
          this.pos++;
          this.stack.push(this.state);
          this.state = "arrayStart";
          return { kind: "delim", delim: "[" };
        case "]":
          if (this.state !== "arrayStart" && this.state !== "arrayComma") throw this.tokenError(c);
          this.pos++;
          this.state = this.stack.pop() ?? "topValue";
          this.valueEnd();
          return { kind: "delim", delim: "]" };
        case "{":
          if (!this.valueAllowed()) throw this.tokenError(c);
          this.pos++;
          this.stack.push(this.state);
          this.state = "objectStart";
          return { kind: "delim", delim: "{" };
        case "}":
          if (this.state !== "objectStart" && this.state !== "objectComma") throw this.tokenError(c);
          this.pos++;
          this.state = this.stack.pop() ?? "topValue";
          this.valueEnd();
          return { kind: "delim", delim: "}" };
        case ":":
          if (this.state !== "objectColon") throw this.tokenError(c);
          this.pos++;
          this.state = "objectValue";
          continue;
        case ",":
          if (this.state === "arrayComma") {
            this.pos++;
            this.state = "arrayValue";
            continue;
          }
          if (this.state === "objectComma") {
            this.pos++;
            this.state = "objectKey";
            continue;
          }
          throw this.tokenError(c);
        case '"':
          if (this.state === "objectStart" || this.state === "objectKey") {
            const old = this.state;
            this.state = "topValue";
            let raw: string;
            try {
              raw = this.readValue();
            } finally {
              this.state = old;
            }
            this.state = "objectColon";
            return { kind: "string", value: unquote(raw) };
          }
          return this.scalarToken();
        default:
          if (!this.valueAllowed()) throw this.tokenError(c);
          return this.scalarToken();
      }
    }
  }

  private scalarToken(): GoToken {
    if (!this.valueAllowed()) throw this.tokenError(this.peek());
    const raw = this.readValue();
    this.valueEnd();
    const c = raw[0];
    if (c === '"') return { kind: "string", value: unquote(raw) };
    if (raw === "true") return { kind: "bool", value: true };
    if (raw === "false") return { kind: "bool", value: false };
    if (raw === "null") return { kind: "null" };
    if (c === "[" || c === "{") {
      // Token never decodes a container as a scalar; readValue only gets here for scalars.
      throw new GoJSONError("unexpected container");
    }
    return { kind: "number", text: raw };
  }

  /** Go's Decoder.More: another element/value follows (false at end of input or a closing bracket). */
  more(): boolean {
    try {
      const c = this.peek();
      return c !== "]" && c !== "}";
    } catch {
      return false;
    }
  }
}

/** Go's json.Marshal of a string (HTML-safe: <, >, & and U+2028/9 escaped; invalid UTF-16 → U+FFFD). */
export function goJSONString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = s.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        out += s[i]! + s[i + 1]!;
        i++;
      } else {
        out += "\ufffd";
      }
      continue;
    }
    if (c >= 0xdc00 && c <= 0xdfff) {
      out += "\ufffd";
      continue;
    }
    switch (c) {
      case 0x22:
        out += '\\"';
        continue;
      case 0x5c:
        out += "\\\\";
        continue;
      case 0x0a:
        out += "\\n";
        continue;
      case 0x0d:
        out += "\\r";
        continue;
      case 0x09:
        out += "\\t";
        continue;
      case 0x08:
        out += "\\b";
        continue;
      case 0x0c:
        out += "\\f";
        continue;
    }
    if (c < 0x20 || c === 0x3c || c === 0x3e || c === 0x26 || c === 0x2028 || c === 0x2029) {
      out += `\\u${c.toString(16).padStart(4, "0")}`;
      continue;
    }
    out += s[i];
  }
  return `${out}"`;
}

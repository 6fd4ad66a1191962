// Go library behaviour that kiln reproduces byte for byte wherever Packer's output or parsing depends on it:
// the time package's layouts (and go-strftime), strconv's quoting and number parsing, unicode.IsSpace.
export {
  type ConvError,
  goQuote,
  goUnderscoreOK,
  isGoPrint,
  parseGoBool,
  parseGoInt64,
  parseGoUint64,
} from "./strconv.js";
export {
  type GoTime,
  goFormat,
  goIn,
  goStrftime,
  goTimeFromEpochMillis,
  goUnix,
  RFC3339,
  RFC3339Nano,
} from "./time.js";
export { isGoSpace, trimLeftGoSpace, trimRightGoSpace } from "./unicode.js";

#!/usr/bin/env node
// Thin shim: enable source maps for readable internal traces, then hand over to the compiled CLI.
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

process.setSourceMapsEnabled(true);
const here = dirname(fileURLToPath(import.meta.url));
const { main } = await import(pathToFileURL(join(here, "..", "dist", "cli", "main.js")).href);
process.exitCode = await main(process.argv.slice(2));

// Public surface of the communicator layer: other layers import only from here.
export * from "./config.js";
export * from "./config-reader.js";
export * from "./connect-step.js";
export * from "./docker/index.js";
export * from "./exclude.js";
export * from "./key-steps.js";
export * from "./none/communicator.js";
export * from "./retry.js";
export {
  certifiedKey,
  createAuth,
  expandUser,
  parsePrivateKey,
  readPrivateKeyFile,
  type SshCredentials,
} from "./ssh/auth.js";
export { type FileTransferMethod, SshCommunicator, type SshCommunicatorOptions } from "./ssh/communicator.js";
export {
  DEFAULT_CIPHERS,
  endpointName,
  openSshConnection,
  type SocksProxy,
  type SshConnection,
  type SshConnectionOptions,
  type SshEndpoint,
  SshErrorCode,
} from "./ssh/connection.js";
export {
  checkKeyPairBits,
  generateSshKeyPair,
  parseKeyPairType,
  SSH_KEY_PAIR_TYPES,
  type SshKeyPair,
  type SshKeyPairOptions,
  type SshKeyPairType,
} from "./ssh/key-pair.js";
export { parseTunnels, type SshOptionsContext, sshCommunicatorOptions } from "./ssh/options.js";
export { quoteRemotePath } from "./ssh/scp.js";
export { sftpPath } from "./ssh/sftp.js";
export {
  type ParseTunnelResult,
  parseTunnelArgument,
  type TunnelDirection,
  type TunnelSpec,
} from "./ssh/tunnel.js";
export { SSH_TIMEOUT_CODE, type WaitForSshOptions, waitForSsh } from "./ssh/wait.js";

// The docker communicator and the Engine API client it shares with the docker builder and post-processors.
export {
  apiName,
  createDockerClient,
  DEFAULT_DOCKER_SOCKET,
  type DialOptions,
  DockerClient,
  dockerClientOptions,
  dockerErrorMessage,
  dockerErrorStatus,
} from "./client.js";
export { DockerCommunicator, type DockerCommunicatorOptions } from "./communicator.js";
export { type DockerExecOptions, demultiplex, dockerExec } from "./exec.js";
export { type ExtraFile, packDirectory } from "./tar.js";

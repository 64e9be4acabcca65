export { runUpCli } from './up.js';
export {
  startStack,
  stopStack,
  formatUrlTable,
  STACK_PORTS,
  type StackPart,
  type StackOptions,
} from './stack.js';

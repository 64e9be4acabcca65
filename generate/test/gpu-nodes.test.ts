import { describe, expect, it } from 'vitest';
import { GPU_NODES_LIST, parseGpuNodes } from '../src/index.js';

describe("gpu-nodes.yml: the gpu overlay's list of nodes the node actions may touch", () => {
  it('reads a YAML list of node names', () => {
    expect(parseGpuNodes('- gpu-a\n- gpu-b.example.com\n')).toEqual(['gpu-a', 'gpu-b.example.com']);
  });

  it.each([
    ['', `${GPU_NODES_LIST}: expected a non-empty YAML list of Kubernetes node names`],
    ['nodes: [a]', `${GPU_NODES_LIST}: expected a non-empty YAML list of Kubernetes node names`],
    ['- gpu-a\n- GPU_B\n', `${GPU_NODES_LIST}: entry 1: "GPU_B" is not a Kubernetes node name`],
    ['- gpu-a\n- 7\n', `${GPU_NODES_LIST}: entry 1: `],
    ['- gpu-a\n- gpu-a\n', `${GPU_NODES_LIST}: entry 1 "gpu-a" is listed twice`],
  ])('refuses %j, naming the file and the entry', (text, message) => {
    expect(() => parseGpuNodes(text)).toThrow(message);
  });
});

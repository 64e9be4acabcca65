import { describe, expect, it } from 'vitest';
import { parseByteSize } from '../src/byte-size.js';

describe('parseByteSize', () => {
  it.each([
    [1048576, 1048576],
    ['512KiB', 524288],
    ['10MB', 10_000_000],
    ['1GiB', 1024 ** 3],
    ['42', 42],
  ])('%j is %d bytes', (text, bytes) => expect(parseByteSize(text)).toBe(bytes));
  it.each(['10 megabytes', '-1', 'MiB', 1.5])('%j is not a size', (text) =>
    expect(parseByteSize(text)).toBeUndefined(),
  );
});

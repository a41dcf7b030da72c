/**
 * Docker's multiplexed log stream (containers without a TTY) as text: each frame is an 8-byte
 * header (stream, 0, 0, 0, big-endian size) and its payload; stdout and stderr are interleaved
 * in the order the container wrote them, which is what a person reading the log wants.
 */
export function unframeDockerLogs(buffer: Buffer): string {
  let text = '';
  for (let offset = 0; offset + 8 <= buffer.length;) {
    const size = buffer.readUInt32BE(offset + 4);
    text += buffer.subarray(offset + 8, offset + 8 + size).toString('utf8');
    offset += 8 + size;
  }
  return text;
}

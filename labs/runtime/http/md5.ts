// MD5 (RFC 1321) with the Hash interface of @oslojs/crypto, so HMAC-MD5 works with its HMAC.
// k6/crypto offers md5 for old APIs' signatures; it is not used for anything secret here.
import type { Hash } from '@oslojs/crypto/hash';

const SHIFTS = [7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21];
const K = Array.from({ length: 64 }, (_, i) => Math.floor(Math.abs(Math.sin(i + 1)) * 2 ** 32) >>> 0);

export class MD5 implements Hash {
  blockSize = 64;
  size = 16;
  #state = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476];
  #buffer = new Uint8Array(64);
  #buffered = 0;
  #length = 0;

  update(data: Uint8Array): void {
    this.#length += data.length;
    for (const byte of data) {
      this.#buffer[this.#buffered++] = byte;
      if (this.#buffered === 64) {
        this.#process(this.#buffer);
        this.#buffered = 0;
      }
    }
  }

  digest(): Uint8Array {
    const bits = this.#length * 8;
    const padding = new Uint8Array((this.#buffered < 56 ? 56 : 120) - this.#buffered + 8);
    padding[0] = 0x80;
    for (let i = 0; i < 8; i++) padding[padding.length - 8 + i] = Math.floor(bits / 2 ** (8 * i)) & 0xff;
    this.update(padding);
    const out = new Uint8Array(16);
    this.#state.forEach((word, i) => {
      for (let b = 0; b < 4; b++) out[i * 4 + b] = (word >>> (8 * b)) & 0xff;
    });
    return out;
  }

  #process(block: Uint8Array): void {
    const m = new Array<number>(16);
    for (let i = 0; i < 16; i++)
      m[i] =
        ((block[i * 4] ?? 0) | ((block[i * 4 + 1] ?? 0) << 8) | ((block[i * 4 + 2] ?? 0) << 16) | ((block[i * 4 + 3] ?? 0) << 24)) >>> 0;
    let [a, b, c, d] = this.#state as [number, number, number, number];
    for (let i = 0; i < 64; i++) {
      let f: number;
      let g: number;
      if (i < 16) {
        f = (b & c) | (~b & d);
        g = i;
      } else if (i < 32) {
        f = (d & b) | (~d & c);
        g = (5 * i + 1) % 16;
      } else if (i < 48) {
        f = b ^ c ^ d;
        g = (3 * i + 5) % 16;
      } else {
        f = c ^ (b | ~d);
        g = (7 * i) % 16;
      }
      const rotated = (a + f + (K[i] ?? 0) + (m[g] ?? 0)) >>> 0;
      const shift = SHIFTS[(i >> 4) * 4 + (i % 4)] ?? 0;
      a = d;
      d = c;
      c = b;
      b = (b + ((rotated << shift) | (rotated >>> (32 - shift)))) >>> 0;
    }
    const s = this.#state;
    s[0] = ((s[0] ?? 0) + a) >>> 0;
    s[1] = ((s[1] ?? 0) + b) >>> 0;
    s[2] = ((s[2] ?? 0) + c) >>> 0;
    s[3] = ((s[3] ?? 0) + d) >>> 0;
  }
}

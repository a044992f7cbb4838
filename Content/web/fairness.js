// Provably fair draws (API.md §8): HMAC-SHA256(key = server seed bytes, message = "{client_seed}:{nonce}"), the first
// 8 bytes as a big-endian integer divided by 2^64, mapped onto the cumulative weights of the prizes in the draw.
// Web Crypto does the hashing; outside a secure context (plain http on a LAN address) crypto.subtle is missing,
// so a small SHA-256 in JavaScript stands in.

const encoder = new TextEncoder();

export function hexToBytes(hex) {
  if (!/^([0-9a-fA-F]{2})*$/.test(hex)) throw new Error('not hex');
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i += 1) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

export function bytesToHex(bytes) {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export async function sha256(bytes) {
  if (globalThis.crypto?.subtle) return new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return sha256js(bytes);
}

export async function hmacSha256(key, message) {
  if (globalThis.crypto?.subtle) {
    const cryptoKey = await crypto.subtle.importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    return new Uint8Array(await crypto.subtle.sign('HMAC', cryptoKey, message));
  }
  // RFC 2104 with a 64-byte block.
  let k = key.length > 64 ? sha256js(key) : key;
  const block = new Uint8Array(64);
  block.set(k);
  const inner = new Uint8Array(64 + message.length);
  const outer = new Uint8Array(64 + 32);
  for (let i = 0; i < 64; i += 1) { inner[i] = block[i] ^ 0x36; outer[i] = block[i] ^ 0x5c; }
  inner.set(message, 64);
  outer.set(sha256js(inner), 64);
  k = sha256js(outer);
  return k;
}

/**
 * Recomputes a draw.
 * @param {string} seedHex the revealed server seed (64 hex characters).
 * @param {string} clientSeed the play's client seed.
 * @param {number} nonce the play's nonce.
 * @param {{label: string, weight: number}[]} prizes the prizes in the draw at play time, in file order.
 * @returns {Promise<{index: number, label: string, roll: string}>} the drawn prize and the 64-bit roll in hex.
 */
export async function draw(seedHex, clientSeed, nonce, prizes) {
  const mac = await hmacSha256(hexToBytes(seedHex), encoder.encode(`${clientSeed}:${nonce}`));
  let value = 0n;
  for (let i = 0; i < 8; i += 1) value = (value << 8n) | BigInt(mac[i]);
  const total = prizes.reduce((sum, p) => sum + BigInt(p.weight), 0n);
  // value / 2^64 < cumulative / total, compared exactly in integers.
  let cumulative = 0n;
  for (let i = 0; i < prizes.length; i += 1) {
    cumulative += BigInt(prizes[i].weight);
    if (prizes[i].weight > 0 && value * total < cumulative << 64n) return { index: i, label: prizes[i].label, roll: bytesToHex(mac.slice(0, 8)) };
  }
  const last = prizes.length - 1;
  return { index: last, label: prizes[last]?.label, roll: bytesToHex(mac.slice(0, 8)) };
}

/** Whether `seedHex` hashes to the commitment `hashHex`. */
export async function matchesCommitment(seedHex, hashHex) {
  return bytesToHex(await sha256(hexToBytes(seedHex))) === hashHex.toLowerCase();
}

// MARK: - SHA-256 in JavaScript (FIPS 180-4), only used without Web Crypto.
const K = new Uint32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2]);

export function sha256js(data) {
  const bitLength = data.length * 8;
  const padded = new Uint8Array(((data.length + 9 + 63) >> 6) << 6);
  padded.set(data);
  padded[data.length] = 0x80;
  const view = new DataView(padded.buffer);
  view.setUint32(padded.length - 8, Math.floor(bitLength / 2 ** 32));
  view.setUint32(padded.length - 4, bitLength >>> 0);
  const hash = new Uint32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);
  const w = new Uint32Array(64);
  const rotr = (x, n) => (x >>> n) | (x << (32 - n));
  for (let offset = 0; offset < padded.length; offset += 64) {
    for (let i = 0; i < 16; i += 1) w[i] = view.getUint32(offset + i * 4);
    for (let i = 16; i < 64; i += 1) {
      const s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >>> 3);
      const s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >>> 10);
      w[i] = (w[i - 16] + s0 + w[i - 7] + s1) >>> 0;
    }
    let [a, b, c, d, e, f, g, hh] = hash;
    for (let i = 0; i < 64; i += 1) {
      const t1 = (hh + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i]) >>> 0;
      const t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) >>> 0;
      hh = g; g = f; f = e; e = (d + t1) >>> 0; d = c; c = b; b = a; a = (t1 + t2) >>> 0;
    }
    hash[0] += a; hash[1] += b; hash[2] += c; hash[3] += d; hash[4] += e; hash[5] += f; hash[6] += g; hash[7] += hh;
  }
  const out = new Uint8Array(32);
  const outView = new DataView(out.buffer);
  for (let i = 0; i < 8; i += 1) outView.setUint32(i * 4, hash[i]);
  return out;
}

// The split of a red packet (API.md §20), recomputed in the browser once the seed is revealed: with R cents and k
// shares left, for k ≥ 2 a share is 1 + ⌊u × (⌊2R/k⌋ − 1)⌋, where u is the first 8 bytes of
// HMAC-SHA256(key = seed, message = the share's index as a decimal string, from "0") read big-endian and divided by
// 2^64; the last share is what remains. The hashing is fairness.js's (Web Crypto, or its own SHA-256 outside a
// secure context); the arithmetic is BigInt, so nothing is rounded by floating point.
import { hexToBytes, hmacSha256, matchesCommitment } from './fairness.js';

const encoder = new TextEncoder();

/**
 * The shares of a packet in draw order.
 * @param {string} seedHex the revealed 32-byte seed as hex.
 * @param {number} totalCents the packet's total.
 * @param {number} count the number of shares.
 * @returns {Promise<number[]>} amounts in cents, adding up to the total.
 */
export async function packetShares(seedHex, totalCents, count) {
  const key = hexToBytes(seedHex);
  let remaining = BigInt(totalCents);
  const shares = [];
  for (let index = 0; index < count; index += 1) {
    const left = BigInt(count - index);
    if (left < 2n) { shares.push(Number(remaining)); break; }
    const mac = await hmacSha256(key, encoder.encode(String(index)));
    let u = 0n;
    for (let i = 0; i < 8; i += 1) u = (u << 8n) | BigInt(mac[i]);
    const range = (2n * remaining) / left - 1n;
    const share = 1n + ((u * range) >> 64n);
    shares.push(Number(share));
    remaining -= share;
  }
  return shares;
}

/**
 * Checks a revealed packet: the seed against its commitment, and the recomputed shares against the server's.
 * @returns {Promise<{commitment: boolean, shares: number[], same: boolean, sum: number}>}
 */
export async function verifyPacket(packet) {
  const commitment = await matchesCommitment(packet.server_seed, packet.server_seed_hash);
  const shares = await packetShares(packet.server_seed, packet.total_cents, packet.count);
  const server = packet.shares || [];
  const same = server.length === shares.length && shares.every((amount, i) => amount === server[i]);
  return { commitment, shares, same, sum: shares.reduce((a, b) => a + b, 0) };
}

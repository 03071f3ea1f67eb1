/** Account slots and scenes are bits in an integer mask (people.accounts_mask, people.scene_mask). */

/** The indexes of the bits set in a mask. */
export function bitsOf(mask: number): number[] {
  const bits: number[] = [];
  for (let bit = 0; mask >>> bit !== 0; bit++) if ((mask >>> bit) & 1) bits.push(bit);
  return bits;
}

/** How many bits are set. */
export function bitCount(mask: number): number {
  let n = 0;
  for (let m = mask >>> 0; m !== 0; m &= m - 1) n++;
  return n;
}

/**
 * Generation cost of the simulator's population: 1,000,000 subscribed followers (4 accounts of
 * 250,000, then 1 account of 1,000,000). Run: npm run bench:simulator  (figures only; no thresholds).
 */
import { Simulator } from "../lib/simulator/simulator";
import { computeTruth } from "../lib/simulator/truth";

const MB = 1024 * 1024;
const gc = (globalThis as { gc?: () => void }).gc;

function memory() {
  gc?.();
  const m = process.memoryUsage();
  return { rss: m.rss, heap: m.heapUsed, buffers: m.arrayBuffers };
}

function run(label: string, accounts: number, followers: number) {
  const before = memory();
  let started = performance.now();
  const sim = new Simulator({ seed: 1, accounts, followers, unbound: accounts > 1 ? 1 : 0 });
  const generateSeconds = (performance.now() - started) / 1000;
  const after = memory();

  started = performance.now();
  const truth = computeTruth(sim.population);
  const truthSeconds = (performance.now() - started) / 1000;

  const account = sim.population.accounts[0]!;
  started = performance.now();
  let chars = 0;
  for (let i = 0; i < account.order.length; i++)
    chars += account.openids.encode(account.order.slots[i]!).length;
  const encodeSeconds = (performance.now() - started) / 1000;

  const slots = sim.population.accounts.reduce((n, a) => n + a.follows.length, 0);
  const arrays = sim.population.accounts.reduce((n, { follows: f, order }) => {
    return (
      n +
      f.person.byteLength +
      f.subscribeTime.byteLength +
      f.scene.byteLength +
      f.flags.byteLength +
      order.slots.byteLength
    );
  }, 0);
  console.log(`${label}`);
  console.log(
    `  generate: ${generateSeconds.toFixed(2)} s for ${truth.summedFollows.toLocaleString()} followers ` +
      `(${slots.toLocaleString()} openids incl. unsubscribed, ${sim.population.people.toLocaleString()} people)`,
  );
  console.log(
    `  memory delta: rss ${((after.rss - before.rss) / MB).toFixed(1)} MB, heap ` +
      `${((after.heap - before.heap) / MB).toFixed(1)} MB, typed arrays ${((after.buffers - before.buffers) / MB).toFixed(1)} MB` +
      ` (rss now ${(after.rss / MB).toFixed(0)} MB; population columns ${(arrays / MB).toFixed(1)} MB)`,
  );
  console.log(
    `  truth: ${truthSeconds.toFixed(2)} s (${truth.uniquePeople.toLocaleString()} people with a unionid)`,
  );
  console.log(
    `  encode ${account.order.length.toLocaleString()} openids of one account: ${encodeSeconds.toFixed(2)} s ` +
      `(${(chars / MB).toFixed(1)} MB of text)`,
  );
  return sim;
}

console.log(`node ${process.version}${gc ? "" : " (run with tsx --expose-gc for steadier memory figures)"}`);
let keep: Simulator | null = run("4 accounts × 250,000 followers", 4, 250_000);
keep = null;
run("1 account × 1,000,000 followers", 1, 1_000_000);
void keep;

// Rounds that alternate contenders: every round runs each contender once, each in a fresh process, and the order
// rotates from round to round so that no contender always runs first (or right after the slowest one).

/**
 * Runs `rounds` rounds of `contenders` (`{ name, run(round) }`), rotating their order each round. Resolves to
 * `{ [name]: [result of round 0, round 1, …] }`.
 */
export async function alternate(rounds, contenders, log = () => undefined) {
  const results = Object.fromEntries(contenders.map((c) => [c.name, []]));
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < contenders.length; k++) {
      const contender = contenders[(k + round) % contenders.length];
      const result = await contender.run(round);
      results[contender.name][round] = result;
      log(`round ${round + 1}/${rounds} ${contender.name}`, result);
    }
  }
  return results;
}

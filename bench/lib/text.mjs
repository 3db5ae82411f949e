// Deterministic chat text for seeding and load: no randomness, so runs are comparable.
const WORDS = (
  "the user asked about the invoice from march and whether the refund was processed " +
  "assistant replied that the payment cleared on tuesday and the receipt is attached " +
  "please remember my flight leaves at nine and I prefer a window seat near the front"
).split(" ");

/** A chat turn of 40 words (about 50 tokens), different for every `i`. */
export function sentence(i) {
  const out = [];
  for (let w = 0; w < 40; w++) out.push(WORDS[(i * 7 + w * 13) % WORDS.length]);
  return `${out.join(" ")} #${i}`;
}

/** A long turn (a pasted document, a detailed answer): 30 sentences, about 1,500 tokens. */
export function longTurn(i) {
  return Array.from({ length: 30 }, (_, k) => `${sentence(i * 30 + k)}.`).join(" ");
}

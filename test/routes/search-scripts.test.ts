import { describe, expect, it } from "vitest";
import { call, freshId } from "../helpers/http";

/**
 * Search in scripts whose words are not simply runs of letters between spaces: words
 * with combining marks (Indic vowel signs, Thai and Burmese tone marks), words with no
 * space between them (Thai, Lao, Khmer, Burmese), particles attached to nouns (Korean),
 * and optional vowel points (Arabic, Hebrew). Each case: a text, a query that names something in it with other words around
 * it, and a text that does not hold that word — but, for the marked scripts, holds its
 * letters in a row, which an index splitting words at their marks took for a match.
 */
const CASES = [
  {
    script: "Thai",
    text: "ฉันชอบกินข้าวผัดกับไก่ทอดมาก",
    query: "ร้านไหนขายข้าวผัดอร่อย",
    other: "วันนี้อากาศร้อนมาก",
  },
  {
    script: "Lao",
    text: "ພວກເຮົາຈະໄປຫຼວງພະບາງໃນອາທິດໜ້າ",
    query: "ຫຼວງພະບາງ",
    other: "ມື້ນີ້ອາກາດຮ້ອນຫຼາຍ",
  },
  {
    // The word breaker cuts the sentence ຂ້ອຍ ມັກ ກິນເຂົ້າ ຈີ່ and leaves the query whole
    // (ເຂົ້າຈີ່, bread), which no document holds: it is asked as the index's words.
    script: "Lao (a compound the sentence is broken across)",
    text: "ຂ້ອຍມັກກິນເຂົ້າຈີ່",
    query: "ເຂົ້າຈີ່",
    other: "ມື້ນີ້ອາກາດຮ້ອນຫຼາຍ",
  },
  { script: "Khmer", text: "ខ្ញុំចូលចិត្តញ៉ាំបាយជាមួយត្រី", query: "ត្រី", other: "ថ្ងៃនេះក្តៅណាស់" },
  {
    script: "Burmese",
    text: "ကျွန်တော်မနက်ဖြန်ရန်ကုန်ကိုသွားမယ်",
    query: "ရန်ကုန်",
    other: "ဒီနေ့ ပူတယ်",
  },
  {
    script: "Hindi",
    text: "मुझे हिन्दी सीखना पसंद है",
    query: "क्या तुम हिन्दी बोलते हो?",
    // ह, न, द in a row: "हिन्दी" as an index that splits at vowel signs saw it.
    other: "थकान है, नींद चाहिए",
  },
  {
    // Spaced, but a noun carries its particle: "서울에" (to Seoul), "서울은" (Seoul, as topic).
    script: "Korean",
    text: "다음 주에 서울에 가요",
    query: "서울은 어때요?",
    other: "오늘은 날씨가 좋아요",
  },
  {
    script: "Arabic (points in the text, none in the query)",
    text: "كَتَبَ الوَلَدُ رِسَالَةً طَوِيلَةً",
    query: "رسالة",
    other: "ذهبنا إلى السوق",
  },
  {
    script: "Hebrew (points in the query, none in the text)",
    text: "שלום לכולם, מה נשמע",
    query: "שָׁלוֹם",
    other: "הלכנו לים",
  },
] as const;

describe("search finds words in every script", () => {
  for (const { script, text, query, other } of CASES) {
    it(`conversation search and memory search: ${script}`, async () => {
      const conversation = freshId("scripts");
      const user = freshId("user");
      const appended = await call("POST", `/v1/conversations/${conversation}/messages`, {
        body: {
          messages: [
            { role: "user", content: other },
            { role: "user", content: text },
          ],
        },
      });
      expect(appended.status, appended.text).toBe(201);
      for (const memory of [other, text]) {
        const created = await call("POST", "/v1/memories", {
          body: { text: memory, userId: user },
        });
        expect(created.status, created.text).toBe(201);
      }

      const messages = await call("POST", `/v1/conversations/${conversation}/search`, {
        body: { query },
      });
      expect(messages.status, messages.text).toBe(200);
      expect(
        messages.json.results.map((r: { message: { content: string } }) => r.message.content),
      ).toEqual([text]);

      const memories = await call("POST", "/v1/memories/search", {
        body: { query, userId: user },
      });
      expect(memories.status, memories.text).toBe(200);
      expect(memories.json.results.map((r: { memory: { text: string } }) => r.memory.text)).toEqual(
        [text],
      );
    });
  }

  it("a long Thai question keeps the one word that matches (words found nowhere take no slot)", async () => {
    const conversation = freshId("scripts");
    await call("POST", `/v1/conversations/${conversation}/messages`, {
      body: { messages: [{ role: "user", content: "ฉันชอบกินข้าวผัดกับไก่ทอดมาก" }] },
    });
    // Nine words in no message, then the one that is: more than the eight ranked terms.
    const question = "พรุ่งนี้ เรา จะ ไป ทะเล ที่ ภูเก็ต หรือ เชียงใหม่ ข้าว";
    const res = await call("POST", `/v1/conversations/${conversation}/search`, {
      body: { query: question },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.json.results).toHaveLength(1);
  });

  const RECALLED = [
    {
      script: "Thai",
      fact: "รหัสผ่านเราเตอร์คือส้มสี่สิบสอง",
      chatter: (i: number) => `รอบที่ ${i} คุยเรื่องอากาศและตารางรถไฟอีกแล้ว`,
      query: "รหัสผ่านเราเตอร์คืออะไร",
    },
    {
      // A compound its sentence is broken across (ກິນເຂົ້າ | ຈີ່), asked whole: ເຂົ້າຈີ່.
      script: "Lao",
      fact: "ຂ້ອຍມັກກິນເຂົ້າຈີ່ກັບກາເຟທຸກເຊົ້າ",
      chatter: (i: number) => `ຮອບທີ ${i} ເວົ້າເລື່ອງອາກາດແລະລົດໄຟອີກແລ້ວ`,
      query: "ເຂົ້າຈີ່",
    },
  ];
  for (const { script, fact, chatter, query } of RECALLED) {
    it(`context recall quotes an archived ${script} message its query names`, async () => {
      const id = freshId("scripts");
      await call("PUT", `/v1/conversations/${id}`, { body: { workingTokens: 256 } });
      const messages = [
        { role: "user", content: fact },
        ...Array.from({ length: 24 }, (_, i) => ({
          role: i % 2 ? "assistant" : "user",
          content: chatter(i),
        })),
      ];
      const appended = await call("POST", `/v1/conversations/${id}/messages`, {
        body: { messages },
      });
      expect(appended.status, appended.text).toBe(201);
      const res = await call("POST", `/v1/conversations/${id}/context`, {
        body: { maxTokens: 600, query },
      });
      expect(res.status, res.text).toBe(200);
      expect(
        res.json.recalled.map((r: { seq: number }) => r.seq),
        res.text,
      ).toContain(1);
    });
  }
});

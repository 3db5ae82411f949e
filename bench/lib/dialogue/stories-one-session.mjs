// Planted stories told in one session (contract: bench/lib/dialogue/stories.mjs): mostly
// paraphrase questions, whose answer turn shares no content word with the question, a
// temporal question or two, and lexical controls.

export const ONE_SESSION = [
  function pet({ P, draw, pick, friend, rel }) {
    const b = draw("breeds");
    const other = draw("breeds");
    const name = draw("petNames");
    return {
      events: [
        {
          turns: [
            {
              who: "P",
              tag: "adopt",
              text: pick([
                `We finally adopted a ${b.breed} ${b.young} from the shelter on Saturday!`,
                `Big news: there's a little ${b.breed} ${b.young} asleep on my feet right now. Came home with us yesterday.`,
                `So we did it. A ${b.breed} ${b.young} joined the household this weekend and nobody has slept since.`,
              ]),
            },
            {
              who: "A",
              text: pick([
                "Congratulations on the new pet! The first few weeks are all about routine: regular meals, a quiet corner to sleep in and lots of patience.",
                "What exciting news, a new pet changes everything at home. Short, calm introductions to each room work best at first.",
              ]),
            },
            {
              who: "O",
              tag: "ask",
              text: pick([
                `Did you pick a name for the ${b.young} yet?`,
                `Wait, what's the ${b.young}'s name?`,
                `Important question: what name did you go for? Photos of the ${b.young} please.`,
              ]),
            },
            {
              who: "P",
              tag: "name",
              text: pick([
                `${name}. The kids chose it and it stuck.`,
                `${name}! It suits this little face perfectly, trust me.`,
                `We went with ${name}, after a very long family vote.`,
              ]),
            },
          ],
        },
      ],
      questions: [
        {
          category: "paraphrase",
          text: pick([
            `What kind of pet did ${P.name} get?`,
            `Which animal did ${P.name} get as a pet?`,
          ]),
          answers: [b.breed],
          evidence: ["adopt"],
        },
        {
          category: "paraphrase",
          text: pick([
            `What name did ${P.name} give the ${b.young}?`,
            `What is ${P.name}'s ${b.young} called?`,
          ]),
          answers: [name],
          evidence: ["ask", "name"],
        },
        {
          category: "temporal",
          text: pick([
            `When did ${P.name} adopt the ${b.breed}?`,
            `When did the ${b.breed} join ${P.name}'s family?`,
          ]),
          dateOf: "adopt",
          evidence: ["adopt"],
        },
      ],
      distractors: [
        [
          {
            who: "X",
            text: `${friend().name}'s ${other.young} chewed through a phone charger again, apparently.`,
          },
        ],
        [{ who: "X", text: `My ${rel()} keeps saying they'll get a pet once the kids are older.` }],
        [
          {
            who: "O",
            text: `${P.name}, do you remember ${friend().name}'s ${other.breed}? The one that stole a whole sandwich?`,
          },
        ],
        [
          { who: "X", text: "What kind of pet would suit a small flat with no garden?" },
          {
            who: "A",
            text: "For a small flat, a cat or a pair of rats is often easier than a dog; it depends how many hours you are home.",
          },
        ],
        [
          {
            who: "X",
            text: `${friend().name} named the new ${other.young} ${draw("petNames")}, which is a bold choice.`,
          },
        ],
      ],
    };
  },

  function gift({ P, pick, draw, friend }) {
    const item = draw("gifts");
    return {
      events: [
        {
          turns: [
            {
              who: "P",
              tag: "gift",
              text: pick([
                `For Mum's sixtieth I ordered her a ${item}, engraved and everything.`,
                `Mum opened the ${item} I'd hidden behind the sofa and cried. Sixty suits her.`,
              ]),
            },
            {
              who: "A",
              text: "What a thoughtful birthday present! A big birthday deserves something personal.",
            },
          ],
        },
      ],
      questions: [
        {
          category: "paraphrase",
          text: pick([
            `What birthday present did ${P.name} choose for their mother?`,
            `What did ${P.name} give their mother for her birthday?`,
          ]),
          answers: [item],
          evidence: ["gift"],
        },
      ],
      distractors: [
        [
          {
            who: "X",
            text: `${friend().name}'s mother wants nothing for her birthday, as usual, which means she wants something.`,
          },
        ],
        [
          { who: "X", text: "Any birthday present ideas for a ten-year-old who has everything?" },
          {
            who: "A",
            text: "Experiences often beat things at that age: a climbing session, a baking class or a day out with a friend.",
          },
        ],
        [
          { who: "O", text: `${P.name}, when is your mother's birthday again?` },
          { who: "P", text: "Spring, I think? I should really know this." },
        ],
      ],
    };
  },

  function injury({ P, draw, friend }) {
    const hurt = draw("injuries");
    const mate = friend();
    return {
      events: [
        {
          turns: [
            { who: "P", tag: "hurt", text: hurt.text },
            {
              who: "A",
              text: `Ouch! Rest it, keep the ${hurt.area} raised, ice it in short bursts, and get it looked at if the pain gets worse.`,
            },
          ],
        },
      ],
      questions: [
        {
          category: "paraphrase",
          text: `Which part of the body did ${P.name} injure?`,
          answers: [hurt.part],
          evidence: ["hurt"],
        },
        {
          category: "temporal",
          text: `When did ${P.name} hurt their ${hurt.area}?`,
          dateOf: "hurt",
          evidence: ["hurt"],
        },
      ],
      distractors: [
        [
          {
            who: "X",
            text: `${mate.name} hurt ${mate.his} knee at five-a-side again. Third time this season.`,
          },
        ],
        [
          {
            who: "X",
            text: `My ${hurt.area} still hurts from the weekend, is that normal after a long walk?`,
          },
        ],
        [
          {
            who: "X",
            text: "The injury list for the match on Sunday is ridiculous, half the team is out.",
          },
        ],
      ],
    };
  },

  function instrument({ P, pick, draw, friend }) {
    const played = draw("instruments");
    return {
      events: [
        {
          turns: [
            {
              who: "P",
              tag: "lessons",
              text: pick([
                `I've started ${played} lessons! My teacher says my posture is a crime.`,
                `Week three of ${played} lessons and the neighbours haven't complained yet.`,
              ]),
            },
            {
              who: "A",
              text: "Learning to play an instrument as an adult is so rewarding. Ten minutes a day beats one long practice a week.",
            },
          ],
        },
      ],
      questions: [
        {
          category: "paraphrase",
          text: pick([
            `What instrument is ${P.name} learning to play?`,
            `Which instrument has ${P.name} taken up?`,
          ]),
          answers: [played],
          evidence: ["lessons"],
        },
      ],
      distractors: [
        [
          {
            who: "X",
            text: `${friend().name} plays the ${draw("instruments")} in a pub band on Fridays.`,
          },
        ],
        [
          { who: "X", text: "Which instrument is the easiest to learn as an adult?" },
          {
            who: "A",
            text: "Most teachers suggest something you can play chords on quickly, so you hear progress early and keep going.",
          },
        ],
        [
          { who: "O", text: `${P.name}, did you ever learn to play anything as a kid?` },
          { who: "P", text: "Recorder, badly. Does that count?" },
        ],
      ],
    };
  },

  function school({ P, pick, draw, friend }) {
    const kid = draw("people");
    const place = draw("schools");
    const child = kid.his === "her" ? "daughter" : "son";
    return {
      events: [
        {
          turns: [
            {
              who: "P",
              tag: "place",
              text: pick([
                `${kid.name} got a place at ${place}! The letter came this morning and ${kid.he} ran laps of the kitchen.`,
                `We heard back: ${kid.name} is off to ${place} in September. Huge relief all round.`,
              ]),
            },
            { who: "O", text: "Yay! Is that the school with the big playing field?" },
          ],
        },
      ],
      questions: [
        {
          category: "paraphrase",
          text: pick([
            `Which school will ${P.name}'s ${child} be going to?`,
            `What school did ${P.name}'s ${child} get into?`,
          ]),
          answers: [place],
          evidence: ["place"],
        },
      ],
      distractors: [
        [
          {
            who: "X",
            text: `${friend().name}'s son is starting at ${draw("schools")} after the summer.`,
          },
        ],
        [
          {
            who: "O",
            text: `The school run this morning was pure chaos, ${P.name}. Did you see the traffic?`,
          },
        ],
        [
          { who: "X", text: "How do you even choose a school? The open days all blur together." },
          {
            who: "A",
            text: "Write down three things that matter most to your child before the visits, then score each school against those.",
          },
        ],
      ],
    };
  },

  function engagement({ P, pick, draw, friend }) {
    const partner = draw("people");
    const mate = friend();
    return {
      events: [
        {
          turns: [
            {
              who: "P",
              tag: "proposal",
              text: pick([
                `${partner.name} proposed last night on the pier! I said yes, obviously.`,
                `So... ${partner.name} got down on one knee at dinner yesterday. There's a ring on my finger!`,
              ]),
            },
            {
              who: "A",
              text: "Congratulations on getting engaged! Enjoy this part before the planning starts.",
            },
          ],
        },
      ],
      questions: [
        {
          category: "paraphrase",
          text: pick([`Who is ${P.name} going to marry?`, `Who is ${P.name}'s future spouse?`]),
          answers: [partner.name],
          evidence: ["proposal"],
        },
        {
          category: "temporal",
          text: `When did ${P.name} get engaged?`,
          dateOf: "proposal",
          evidence: ["proposal"],
        },
      ],
      distractors: [
        [
          {
            who: "X",
            text: `${mate.name} and ${mate.his} partner got engaged in Paris, very on-brand.`,
          },
        ],
        [
          {
            who: "X",
            text: "My cousin is getting married in a castle, apparently. Dress code: medieval.",
          },
        ],
        [{ who: "O", text: `${P.name}, are you going to ${friend().name}'s wedding in May?` }],
      ],
    };
  },

  function allergy({ P, pick, draw, friend }) {
    const food = draw("allergens");
    return {
      events: [
        {
          turns: [
            {
              who: "P",
              tag: "diagnosis",
              text: pick([
                `The doctor confirmed it: no more ${food} for me. My throat swelled up again on Sunday.`,
                `Turns out ${food} is why my lips kept swelling. The specialist was very clear about it.`,
              ]),
            },
            {
              who: "A",
              text: "That's a lot to take in. Becoming allergic as an adult is more common than people think; checking labels soon becomes a habit.",
            },
          ],
        },
      ],
      questions: [
        {
          category: "paraphrase",
          text: pick([
            `What is ${P.name} allergic to?`,
            `Which food does ${P.name} have to avoid now?`,
          ]),
          answers: [food],
          evidence: ["diagnosis"],
        },
      ],
      distractors: [
        [
          {
            who: "X",
            text: `${friend().name}'s kid is allergic to ${draw("allergens")}, so the party menu changed again.`,
          },
        ],
        [{ who: "X", text: "Is anyone allergic to anything? I'm planning the food for Saturday." }],
        [{ who: "O", text: `${P.name}, is the new antihistamine helping with the hay fever?` }],
      ],
    };
  },

  function baby({ P, pick, draw, friend, rel }) {
    const sibling = pick(["sister", "brother"]);
    const baby = draw("people");
    return {
      events: [
        {
          turns: [
            {
              who: "O",
              tag: "ask",
              text: pick([
                `${P.name}, did your ${sibling} have the baby yet? What is the little one called?`,
                `Any news from your ${sibling}? Is the baby here? Name?`,
              ]),
            },
            {
              who: "P",
              tag: "name",
              text: `${baby.name}! Born on Tuesday, three point four kilos, already bossing everyone around.`,
            },
          ],
        },
      ],
      questions: [
        {
          category: "paraphrase",
          text: pick([
            `What is the name of ${P.name}'s ${sibling}'s baby?`,
            `What did ${P.name}'s ${sibling} call the new baby?`,
          ]),
          answers: [baby.name],
          evidence: ["ask", "name"],
        },
      ],
      distractors: [
        [
          {
            who: "X",
            text: `${friend().name}'s baby is due in March; they're keeping the name a secret.`,
          },
        ],
        [
          {
            who: "X",
            text: `My ${rel()} wants to call the baby ${draw("people").name}, which nobody can spell.`,
          },
        ],
        [
          {
            who: "X",
            text: `Baby names are getting wild. ${friend().name}'s twins are called ${draw("people").name} and ${draw("people").name}.`,
          },
        ],
      ],
    };
  },

  function wifi({ P, pick, friend, password }) {
    const secret = password();
    return {
      events: [
        {
          turns: [
            {
              who: "O",
              tag: "ask",
              text: pick([
                `${P.name}, what's the wifi password at the cabin again?`,
                `Sorry, what was the wifi password at your cabin? My phone forgot it.`,
              ]),
            },
            {
              who: "P",
              tag: "secret",
              text: `${secret}, all lowercase. The router is behind the bookshelf if it drops.`,
            },
          ],
        },
      ],
      questions: [
        {
          category: "paraphrase",
          text: `What is the wifi password at ${P.name}'s cabin?`,
          answers: [secret],
          evidence: ["ask", "secret"],
        },
      ],
      distractors: [
        [
          {
            who: "X",
            text: "The wifi at the office has been down all morning. Nobody knows the password for the guest network.",
          },
        ],
        [
          {
            who: "X",
            text: `${friend().name} changed the wifi password to something unpronounceable.`,
          },
        ],
        [
          { who: "O", text: `Does the cabin have a proper kitchen, ${P.name}?` },
          { who: "P", text: "Sort of. Two rings and a kettle." },
        ],
      ],
    };
  },

  function locker({ P, friend, code }) {
    const secret = code();
    return {
      events: [
        {
          turns: [
            {
              who: "P",
              tag: "code",
              text: `My gym locker code is ${secret}. Writing it here so I stop forgetting it.`,
            },
          ],
        },
      ],
      questions: [
        {
          category: "lexical",
          text: `What is ${P.name}'s gym locker code?`,
          answers: [secret],
          evidence: ["code"],
        },
      ],
      distractors: [
        [{ who: "X", text: `The code for the office door changed to ${code()} this week.` }],
        [{ who: "X", text: `${friend().name} lost the key to the gym locker again.` }],
        [{ who: "X", text: "Anyone else think the gym is far too crowded on Mondays?" }],
      ],
    };
  },

  function passport({ P, O, draw, friend, year }) {
    const expiry = `${draw("months")} ${year}`;
    return {
      events: [
        {
          turns: [
            {
              who: "P",
              tag: "expiry",
              text: `Just noticed my passport expires in ${expiry}. Need to renew it before any trips.`,
            },
          ],
        },
      ],
      questions: [
        {
          category: "lexical",
          text: `When does ${P.name}'s passport expire?`,
          answers: [expiry],
          evidence: ["expiry"],
        },
      ],
      distractors: [
        [
          {
            who: "X",
            text: `${friend().name} had to renew the passport at the airport. Total panic.`,
          },
        ],
        [
          { who: "X", text: "How long does a passport renewal take these days?" },
          {
            who: "A",
            text: "It varies through the year, so apply at least ten weeks before you travel to be safe.",
          },
        ],
        [{ who: "P", text: `${O.name}, is your passport still valid?` }],
      ],
    };
  },
];

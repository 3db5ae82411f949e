// Planted stories told over several sessions (contract: bench/lib/dialogue/stories.mjs):
// updates whose newer value answers the question, facts that need two sessions, and events
// announced before they happen, so the announcement competes with the answer turn.
const NUMBERS = [
  "zero",
  "one",
  "two",
  "three",
  "four",
  "five",
  "six",
  "seven",
  "eight",
  "nine",
  "ten",
];
const cap = (s) => s[0].toUpperCase() + s.slice(1);

export const ACROSS_SESSIONS = [
  function moveAndJob({ P, pick, draw, friend }) {
    const city = draw("homeCities");
    const job = draw("workplaces");
    const otherJob = draw("workplaces");
    return {
      events: [
        {
          turns: [
            {
              who: "P",
              tag: "city",
              text: pick([
                `Signed the lease on a flat in ${city} today. Top floor, tiny balcony, no lift.`,
                `The movers come on Friday. Can't quite believe I'm actually leaving for ${city}.`,
                `Boxes everywhere. By this time next week I'll be living in ${city}.`,
              ]),
            },
            {
              who: "A",
              text: pick([
                "That's a big step! Settling into a new city takes a while, so give it a few months before judging.",
                "Exciting! A new city can feel lonely at first; joining one regular activity helps a lot.",
              ]),
            },
          ],
        },
        {
          gap: 3,
          turns: [
            {
              who: "P",
              tag: "job",
              text: pick([
                `Survived my first week at ${job.phrase}. Everyone there is lovely, the coffee is not.`,
                `Started at ${job.phrase} on Monday and I still get lost looking for the kitchen.`,
                `Official: I'm the newest hire at ${job.phrase}. Contract signed this morning!`,
              ]),
            },
            {
              who: "O",
              text: pick([
                "So proud of you! How's the new role?",
                "Amazing! Way better than the old place, I bet.",
              ]),
            },
          ],
        },
      ],
      questions: [
        {
          category: "multi-session",
          text: pick([
            `Where does ${P.name} work now, and in which city?`,
            `Which city does ${P.name} live in these days, and what is the new workplace?`,
          ]),
          answers: [job.answer, city],
          evidence: ["city", "job"],
        },
      ],
      distractors: [
        [
          {
            who: "X",
            text: `${friend().name}'s brother works at ${otherJob.phrase} in ${draw("homeCities")}, small world.`,
          },
        ],
        [
          { who: "X", text: "If you could work from anywhere, which city would you pick?" },
          {
            who: "A",
            text: "Plenty of people pick a city for its pace rather than its job market: walkability, friends nearby and rent matter more than they expect.",
          },
        ],
        [
          {
            who: "O",
            text: `${P.name}, are you still working with ${friend().name} on that grant application?`,
          },
        ],
      ],
    };
  },

  function classUpdate({ P, pick, draw, friend }) {
    const [before, after, other] = [draw("classes"), draw("classes"), draw("classes")];
    return {
      events: [
        {
          turns: [
            {
              who: "P",
              tag: "before",
              text: pick([
                `I signed up for a ${before} course on Tuesday evenings. First session was brilliant.`,
                `Tried my first ${before} class tonight! Aching, happy, slightly embarrassed.`,
              ]),
            },
            {
              who: "A",
              text: "Good for you! A weekly class is one of the easiest ways to build a habit and meet people.",
            },
          ],
        },
        {
          gap: 3,
          turns: [
            {
              who: "P",
              tag: "after",
              text: pick([
                `Confession: I quit ${before}. Doing ${after} on Thursdays now and I actually look forward to it.`,
                `${cap(after)} has fully replaced ${before} in my life. Thursday nights are sacred.`,
              ]),
            },
          ],
        },
      ],
      questions: [
        {
          category: "multi-session",
          text: pick([
            `Which evening class is ${P.name} going to these days?`,
            `What weekly class does ${P.name} attend at the moment?`,
          ]),
          answers: [after],
          evidence: ["before", "after"],
        },
      ],
      distractors: [
        [
          {
            who: "X",
            text: `${friend().name} teaches ${other} at the community centre on Wednesday evenings.`,
          },
        ],
        [
          {
            who: "X",
            text: "Anyone fancy an evening class this autumn? I need a hobby that isn't my phone.",
          },
        ],
        [
          {
            who: "X",
            text: `${friend().name} wants me to join the class too, but I have two left feet.`,
          },
        ],
      ],
    };
  },

  function carUpdate({ P, pick, draw, friend, rel }) {
    const [before, after, other] = [draw("cars"), draw("cars"), draw("cars")];
    return {
      events: [
        {
          turns: [
            {
              who: "P",
              tag: "before",
              text: `The old ${before} failed its inspection again. The mechanic basically laughed at me.`,
            },
            {
              who: "O",
              text: "Time to retire it, surely? Get a new car before it leaves you on the motorway.",
            },
          ],
        },
        {
          gap: 3,
          turns: [
            {
              who: "P",
              tag: "after",
              text: pick([
                `Picked up the ${after} this morning! It smells new and I'm scared to eat in it.`,
                `We traded in the ${before}. The ${after} is ours as of today!`,
              ]),
            },
            {
              who: "A",
              text: "Congratulations on the new car! Check the tyre pressures after the first week and keep the paperwork somewhere safe.",
            },
          ],
        },
      ],
      questions: [
        {
          category: "multi-session",
          text: pick([
            `What car does ${P.name} drive now?`,
            `Which vehicle does ${P.name} currently own?`,
          ]),
          answers: [after],
          evidence: ["before", "after"],
        },
      ],
      distractors: [
        [{ who: "X", text: `My ${rel()}'s car is in the garage again, third time this year.` }],
        [
          {
            who: "X",
            text: `${friend().name} wants to drive to the coast in the ${other} this summer.`,
          },
        ],
        [
          { who: "O", text: `Who's driving on Saturday, ${P.name}?` },
          { who: "P", text: "Not me, I'm on babysitting duty until six." },
        ],
      ],
    };
  },

  function paintUpdate({ P, pick, draw, friend }) {
    const [before, after, other] = [draw("paints"), draw("paints"), draw("paints")];
    return {
      events: [
        {
          turns: [
            {
              who: "P",
              tag: "before",
              text: `Finished painting the living room ${before}. Two coats, zero regrets so far.`,
            },
          ],
        },
        {
          gap: 3,
          turns: [
            {
              who: "P",
              tag: "after",
              text: pick([
                `The ${before} living room felt like a cave, so we repainted. It's ${after} now and so much lighter.`,
                `Couldn't live with the ${before} any more. Two more coats and the living room is ${after}. Much better.`,
              ]),
            },
          ],
        },
      ],
      questions: [
        {
          category: "multi-session",
          text: pick([
            `What colour is ${P.name}'s living room now?`,
            `What colour did ${P.name} finally paint the living room?`,
          ]),
          answers: [after],
          evidence: ["before", "after"],
        },
      ],
      distractors: [
        [{ who: "X", text: `${friend().name} painted the whole hallway ${other}. Brave.` }],
        [
          { who: "X", text: "What colour works in a north-facing room?" },
          {
            who: "A",
            text: "Warm whites and soft neutrals help a north-facing room; cold greys tend to look flat in that light.",
          },
        ],
        [{ who: "O", text: `${P.name}, is the living room still a mess from the decorating?` }],
      ],
    };
  },

  function kidSport({ P, pick, draw, friend }) {
    const kid = draw("people");
    const sport = draw("sports");
    const age = pick([7, 8, 9, 10]);
    const years = `${NUMBERS[age]}-year-old`;
    return {
      events: [
        {
          turns: [
            {
              who: "P",
              tag: "age",
              text: pick([
                `${kid.name} turns ${NUMBERS[age]} on Saturday and has requested a volcano cake. No pressure.`,
                `Party planning mode: ${kid.name} will be ${NUMBERS[age]} next week and wants a magician.`,
              ]),
            },
          ],
        },
        {
          gap: 3,
          turns: [
            {
              who: "P",
              tag: "sport",
              text: pick([
                `${kid.name} won a medal at ${kid.his} first ${sport} competition today! Bronze, but you'd think it was gold.`,
                `Spent the whole morning cheering at ${kid.name}'s ${sport} tournament. ${cap(kid.he)} came fourth and is thrilled.`,
              ]),
            },
          ],
        },
      ],
      questions: [
        {
          category: "multi-session",
          text: pick([
            `What sport does ${P.name}'s ${years} do?`,
            `Which sport has ${P.name}'s ${years} taken up?`,
          ]),
          answers: [sport],
          evidence: ["age", "sport"],
        },
      ],
      distractors: [
        [
          {
            who: "X",
            text: `${friend().name}'s son does ${draw("sports")} twice a week; the kit costs a fortune.`,
          },
        ],
        [
          { who: "X", text: `Which sport is best for a shy ${years}?` },
          {
            who: "A",
            text: "Team sports build confidence for some kids, but activities in small groups often suit quieter children better.",
          },
        ],
        [{ who: "O", text: `${P.name}, are you still doing the Saturday morning sport runs?` }],
      ],
    };
  },

  function restaurantUpdate({ P, pick, draw, friend }) {
    const [before, after, other] = [draw("restaurants"), draw("restaurants"), draw("restaurants")];
    return {
      events: [
        {
          turns: [
            {
              who: "P",
              tag: "before",
              text: `Dinner at ${before} again. Third time this month, the staff know our order by heart.`,
            },
          ],
        },
        {
          gap: 3,
          turns: [
            {
              who: "P",
              tag: "after",
              text: pick([
                `Sad news: ${before} has closed for good. We've started going to ${after} instead and it's honestly just as good.`,
                `${after} is our new Friday place since ${before} shut. Their dumplings are outrageous.`,
              ]),
            },
          ],
        },
      ],
      questions: [
        {
          category: "multi-session",
          text: pick([
            `Where does ${P.name} usually eat out now?`,
            `Which restaurant is ${P.name}'s regular spot these days?`,
          ]),
          answers: [after],
          evidence: ["before", "after"],
        },
      ],
      distractors: [
        [{ who: "X", text: `${friend().name} keeps raving about ${other}. Has anyone been?` }],
        [
          { who: "X", text: "Any restaurant tips for a birthday dinner for eight?" },
          {
            who: "A",
            text: "For eight people, book somewhere with sharing plates and a set menu; it keeps the bill simple and the table lively.",
          },
        ],
        [
          {
            who: "O",
            text: `Eating out is getting so expensive, ${P.name}. We've gone back to cooking.`,
          },
        ],
      ],
    };
  },

  function race({ P, O, pick, draw, friend, raceTime }) {
    const event = draw("events");
    const time = raceTime();
    return {
      events: [
        {
          turns: [
            {
              who: "P",
              text: pick([
                `Registered for ${event}. No turning back now.`,
                `Just paid the entry fee for ${event}. Somebody stop me.`,
              ]),
            },
          ],
        },
        {
          gap: 2,
          turns: [
            {
              who: "P",
              tag: "race",
              text: pick([
                `Done! Finished ${event} in ${time}. My legs are jelly.`,
                `Finished ${event}! ${time} on the clock, alive, starving.`,
              ]),
            },
            {
              who: "A",
              text: "Brilliant result! Eat something salty, drink plenty, and take an easy walk tomorrow rather than a run.",
            },
          ],
        },
      ],
      questions: [
        {
          category: "temporal",
          text: pick([
            `When did ${P.name} run ${event}?`,
            `On what date did ${P.name} take part in ${event}?`,
          ]),
          dateOf: "race",
          evidence: ["race"],
        },
        {
          category: "lexical",
          text: `What was ${P.name}'s finishing time at ${event}?`,
          answers: [time],
          evidence: ["race"],
        },
      ],
      distractors: [
        [{ who: "P", text: `Only three weeks until ${event} and my training plan is in pieces.` }],
        [{ who: "X", text: `${friend().name} ran ${event} last year in ${raceTime()}.` }],
        [{ who: "P", text: `${O.name}, are you doing any races this year, or just the park run?` }],
      ],
    };
  },

  function trip({ P, pick, draw, friend }) {
    const to = draw("trips");
    const other = draw("trips");
    return {
      events: [
        {
          turns: [
            {
              who: "P",
              text: pick([
                `Booked flights to ${to.city}! Leaving in three weeks and I've already made a list.`,
                `It's happening: ${to.city} next month. Hotel booked, no plans beyond that.`,
              ]),
            },
          ],
        },
        {
          gap: 1,
          turns: [
            {
              who: "P",
              tag: "back",
              text: pick([
                `Back from ${to.city}. I ate my body weight in ${to.dish} and walked about twenty kilometres a day.`,
                `Home again after ${to.city}. Honestly, the ${to.dish} alone was worth the flight.`,
              ]),
            },
            { who: "O", text: "What a holiday! Jealous of every single photo." },
          ],
        },
      ],
      questions: [
        {
          category: "temporal",
          text: pick([
            `When did ${P.name} get back from ${to.city}?`,
            `When did ${P.name} return from the ${to.city} trip?`,
          ]),
          dateOf: "back",
          evidence: ["back"],
        },
        {
          category: "paraphrase",
          text: pick([
            `Which dish did ${P.name} keep eating on holiday?`,
            `What local speciality did ${P.name} love on holiday?`,
          ]),
          answers: [to.dish],
          evidence: ["back"],
        },
      ],
      distractors: [
        [
          {
            who: "X",
            text: `My cousin is flying to ${to.city} for work in June, any tips I can pass on?`,
          },
        ],
        [
          {
            who: "X",
            text: `${friend().name} went on holiday to ${other.city} and came back with food poisoning.`,
          },
        ],
        [
          { who: "O", text: `${P.name}, did you sort out travel insurance for the holiday?` },
          { who: "P", text: "Yes, finally. Took an hour of reading small print." },
        ],
      ],
    };
  },
];

// Value pools of the planted facts in bench/lib/dialogue/stories.mjs. A conversation draws
// from each pool without replacement, so an answer never reappears as another question's
// answer or in a distractor. No value occurs in the filler vocabulary (topics.mjs).

const t = (s) => s.split("|").map((x) => x.trim());

const person = (list, his, he) => t(list).map((name) => ({ name, his, he }));
/** People: speakers, friends mentioned in passing, partners, children, babies. */
export const PEOPLE = [
  ...person(
    "Maya|Priya|Ines|Hana|Zofia|Amara|Lucia|Nadia|Keiko|Rosa|Elif|Farah|Tamsin|Wanda|Ximena|Greta|Noor|Sunita|Leonie|Marta|Ayla|Freya|Dalia|Imogen|Yara|Esme|Talia|Petra",
    "her",
    "she",
  ),
  ...person(
    "Tom|Bruno|Dmitri|Jonas|Mateo|Oskar|Quentin|Soren|Viktor|Yusuf|Idris|Emeka|Rafael|Callum|Anders|Hugo|Kenji|Luca|Malik|Nico|Omar|Ravi|Stefan|Tariq|Elliot|Felix|Arjun|Dario",
    "his",
    "he",
  ),
];

export const POOLS = {
  breeds: [
    ...t("beagle|dachshund|whippet|cocker spaniel|border collie|corgi|greyhound").map((breed) => ({
      breed,
      kind: "dog",
      young: "puppy",
    })),
    ...t("ragdoll|siamese|maine coon|bengal|sphynx").map((breed) => ({
      breed,
      kind: "cat",
      young: "kitten",
    })),
  ],
  petNames: t("Biscuit|Mochi|Juniper|Ziggy|Marble|Pretzel|Bowie|Pip|Gizmo|Widget|Custard|Noodle"),
  homeCities: t("Bergen|Utrecht|Leeds|Gothenburg|Aarhus|Galway|Trieste|Lyon|Graz|Bilbao|Tampere"),
  workplaces: t(
    "maritime museum|bike repair shop|architecture firm|botanical garden|veterinary clinic|craft brewery|city archive|climbing gym|sign language school|recording studio",
  ).map((answer) => ({ answer, phrase: `the ${answer}` })),
  classes: t(
    "pottery|salsa|bouldering|life drawing|improv|watercolour|kickboxing|flamenco|calligraphy|tango",
  ),
  cars: t(
    "Fiat Panda|Toyota Yaris|Skoda Fabia|Renault Clio|Kia Niro|Volvo V60|Honda Jazz|Mazda MX-5|Nissan Leaf|Ford Fiesta",
  ),
  paints: t(
    "terracotta|sage green|dusty pink|charcoal grey|duck-egg blue|burnt orange|mustard yellow|forest green",
  ),
  sports: t("fencing|judo|gymnastics|water polo|archery|karate|trampolining"),
  restaurants: t(
    "Casa Lupita|The Golden Wok|Bar Pintxo|Saffron House|Trattoria Nonna|The Hungry Heron|Mezze Lane|Pho Corner|El Sombrero|Blue Lotus",
  ),
  gifts: t(
    "silver locket|cashmere scarf|espresso machine|weighted blanket|record player|hot air balloon ride|family tree print|bonsai tree|birdwatching telescope",
  ),
  injuries: [
    {
      part: "ankle",
      area: "foot",
      text: "Went over on my ankle coming down the stairs at the station. It's purple and twice the size.",
    },
    {
      part: "wrist",
      area: "arm",
      text: "Slipped on the wet tiles at the pool and landed right on my wrist. Splint for four weeks, apparently.",
    },
    {
      part: "collarbone",
      area: "shoulder",
      text: "Came off the bike at the roundabout and cracked my collarbone. Typing this one-handed.",
    },
    {
      part: "thumb",
      area: "hand",
      text: "Shut my thumb in the garage door. The nail has gone black and I may faint.",
    },
    {
      part: "elbow",
      area: "arm",
      text: "Fell off the ladder clearing the gutters and landed on my elbow. Nothing broken, but wow.",
    },
    {
      part: "hamstring",
      area: "leg",
      text: "Pulled a hamstring sprinting for the bus. I'm hobbling around like an old cowboy.",
    },
  ],
  events: t(
    "the Harbour Half|the Castle Hill 10K|the Lakeside Sprint Triathlon|the Old Town Night Run|the Bridge to Bridge 10 Miler|the Forest Trail 15K|the Seafront 5 Miler|the Moorland Fell Race",
  ),
  trips: [
    ["Lisbon", "pastel de nata"],
    ["Krakow", "pierogi"],
    ["Budapest", "langos"],
    ["Naples", "sfogliatella"],
    ["Tbilisi", "khachapuri"],
    ["Bologna", "tortellini"],
    ["Istanbul", "simit"],
    ["Oaxaca", "tlayudas"],
    ["Hanoi", "bun cha"],
    ["Porto", "francesinha"],
    ["Ghent", "waterzooi"],
    ["Seville", "salmorejo"],
  ].map(([city, dish]) => ({ city, dish })),
  instruments: t("cello|banjo|ukulele|trumpet|harp|accordion|clarinet|saxophone|mandolin"),
  schools: t(
    "Hillcrest Primary|Elmfield Academy|St Brigid's|Marlow Grammar|Oakwood Juniors|Larkspur Primary|Holloway Academy|Brookside Juniors",
  ),
  allergens: t("sesame|shellfish|kiwi|hazelnuts|celery|lupin|buckwheat|mango"),
  months: t(
    "January|February|March|April|May|June|July|August|September|October|November|December",
  ),
  wifiWords: t(
    "mossy|velvet|rusty|quiet|lucky|sleepy|purple|crunchy|otter|lantern|walrus|teapot|comet|pickle|falcon|meadow",
  ),
};
